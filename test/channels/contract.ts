// The contract every channel adapter runs: forgeries store nothing, redelivery is a no-op, replies reach the right
// chat.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestHub } from "../support/hub";

export interface ChannelHarness {
  /** A genuine inbound request (webhook, form post, signed call) carrying one new lead whose channel id is `id`. */
  deliver(id: string): Promise<{ status: number }>;
  /** The same request with its proof broken: a wrong signature, secret or token. */
  forge(id: string): Promise<{ status: number }>;
  /**
   * For channels that answer in a chat: which chat a delivery of `id` came from, and what the fake service got there.
   */
  replies?: {
    chatOf(id: string): string;
    received(chatId: string): string[] | Promise<string[]>;
  };
}

export interface ChannelContractSetup {
  t: TestHub;
  harness: ChannelHarness;
  cleanup?: () => Promise<void>;
}

async function counts(t: TestHub) {
  const [row] = await t.hub.database.rows<{ inquiries: string; messages: string; webhook_events: string }>(sql`select
    (select count(*) from inquiries)::text as inquiries,
    (select count(*) from messages where direction = 'inbound')::text as messages,
    (select count(*) from webhook_events)::text as webhook_events`);
  return {
    inquiries: Number(row!.inquiries),
    messages: Number(row!.messages),
    webhookEvents: Number(row!.webhook_events),
  };
}

let unique = 0;
const newId = (label: string) => `${label}${Date.now() % 1_000_000}${++unique}`;

export function runChannelContract(name: string, setup: () => Promise<ChannelContractSetup>): void {
  describe(`channel contract: ${name}`, () => {
    let ctx: ChannelContractSetup;
    beforeAll(async () => {
      ctx = await setup();
    });
    afterAll(async () => {
      await ctx.cleanup?.();
      await ctx.t.stop();
    });

    it("rejects a forged request with 401 or 403 and stores nothing", async () => {
      const before = await counts(ctx.t);
      const res = await ctx.harness.forge(newId("forged"));
      expect([401, 403]).toContain(res.status);
      expect(await counts(ctx.t)).toEqual(before);
    });

    it("stores a genuine request once; its redelivery changes nothing", async () => {
      const id = newId("lead");
      const before = await counts(ctx.t);
      const first = await ctx.harness.deliver(id);
      expect(first.status).toBeGreaterThanOrEqual(200);
      expect(first.status).toBeLessThan(300);
      const after = await counts(ctx.t);
      expect(after.inquiries).toBe(before.inquiries + 1);
      expect(after.webhookEvents).toBe(before.webhookEvents + 1);

      const again = await ctx.harness.deliver(id);
      expect(again.status).toBeGreaterThanOrEqual(200);
      expect(again.status).toBeLessThan(300);
      expect(await counts(ctx.t)).toEqual(after);
    });

    it("answers in the chat the lead came from, and in no other", async () => {
      const replies = ctx.harness.replies;
      if (!replies) return; // a channel with no chat to answer in (web form, partner, phone) answers in its response
      const [a, b] = [newId("chatA"), newId("chatB")];
      await ctx.harness.deliver(a);
      await expect
        .poll(async () => (await replies.received(replies.chatOf(a))).join("\n"), { timeout: 15_000 })
        .toMatch(/INQ-\d+/);
      expect(replies.chatOf(a)).not.toBe(replies.chatOf(b));
      const [{ reference }] = (await ctx.t.hub.database.rows<{ reference: string }>(
        sql`select 'INQ-' || number as reference from inquiries where external_chat_id = ${replies.chatOf(a)}`,
      )) as [{ reference: string }];
      const inA = (await replies.received(replies.chatOf(a))).join("\n");
      expect(inA).toContain(reference);
      expect(await replies.received(replies.chatOf(b))).toEqual([]);
    });
  });
}
