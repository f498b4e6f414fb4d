// Replies through the Bot API's sendMessage: a blocked chat fails for good, flood control and 5xx are retried.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelegramHub, type TelegramTestHub } from "./harness";
import { newChatId, textUpdate } from "./updates";

describe("Telegram replies", () => {
  let h: TelegramTestHub;
  beforeAll(async () => {
    h = await startTelegramHub();
  });
  afterAll(() => h.stop());

  const ackOf = async (chatId: number) =>
    (
      await h.t.hub.database.rows<{ status: string; error: string | null }>(
        sql`select status, error from messages where external_chat_id = ${String(chatId)} and template = 'telegram.acknowledged'`,
      )
    )[0];

  const isAckTo = (chatId: number) => (body: Record<string, unknown>) =>
    String(body.chat_id) === String(chatId) && /Your reference is INQ-/.test(String(body.text));

  it("marks the reply failed, without retrying, when the user blocked the bot", async () => {
    const chatId = newChatId();
    h.fake.failNext("sendMessage", 403, "Forbidden: bot was blocked by the user", isAckTo(chatId));
    expect((await h.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 15_000 }).toBe("failed");
    expect((await ackOf(chatId))!.error).toContain("403 Forbidden: bot was blocked by the user");
    expect(h.fake.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(1);
  });

  it("retries after flood control (429) and sends the reply", async () => {
    const chatId = newChatId();
    h.fake.failNext("sendMessage", 429, "Too Many Requests: retry after 1", isAckTo(chatId));
    expect((await h.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 20_000 }).toBe("sent");
    expect(h.fake.textsIn(chatId).some((t) => /Your reference is INQ-\d+/.test(t))).toBe(true);
    expect(h.fake.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(2);
  });

  it("keeps taking leads while a reply waits on a slow Bot API: no database connection is held over the send", async () => {
    // On the embedded database there is one connection: a send inside a transaction would stop all intake.
    const chatId = newChatId();
    const held = h.fake.holdNext("sendMessage", isAckTo(chatId));
    expect((await h.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await held.reached;
    try {
      const lead = await h.t.request("POST", "/inquiries", {
        body: { source: "web_form", message: "Meanwhile", client: { email: "meanwhile@example.com" } },
      });
      expect(lead.status).toBe(201);
      expect((await ackOf(chatId))!.status).toBe("queued");
    } finally {
      held.release();
    }
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 15_000 }).toBe("sent");
    expect(h.fake.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(1);
  });
});
