// Replies through the Bot API's sendMessage: a blocked chat fails for good, flood control and 5xx are retried.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { newChatId, textUpdate } from "./updates";

describe("Telegram replies", () => {
  let h: TelegramTestHub;
  beforeAll(async () => {
    h = await startHub({ telegram: true });
  });
  afterAll(() => h.stop());

  const ackOf = async (chatId: number) =>
    (
      await h.hub.database.rows<{ status: string; error: string | null }>(
        sql`select status, error from messages where external_chat_id = ${String(chatId)} and template = 'telegram.acknowledged'`,
      )
    )[0];

  const isAckTo = (chatId: number) => (body: Record<string, unknown>) =>
    String(body.chat_id) === String(chatId) && /Your reference is INQ-/.test(String(body.text));

  it("marks the reply failed, without retrying, when the user blocked the bot", async () => {
    const chatId = newChatId();
    h.telegram.failNext("sendMessage", 403, "Forbidden: bot was blocked by the user", isAckTo(chatId));
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 15_000 }).toBe("failed");
    expect((await ackOf(chatId))!.error).toContain("403 Forbidden: bot was blocked by the user");
    expect(h.telegram.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(1);
  });

  it("retries after flood control (429) and sends the reply", async () => {
    const chatId = newChatId();
    h.telegram.failNext("sendMessage", 429, "Too Many Requests: retry after 1", isAckTo(chatId));
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 20_000 }).toBe("sent");
    expect(h.telegram.textsIn(chatId).some((t) => /Your reference is INQ-\d+/.test(t))).toBe(true);
    expect(h.telegram.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(2);
  });

  it("keeps taking leads while a reply waits on a slow Bot API: no database connection is held over the send", async () => {
    // On the embedded database there is one connection: a send inside a transaction would stop all intake.
    const chatId = newChatId();
    const held = h.telegram.holdNext("sendMessage", isAckTo(chatId));
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "Hello"))).status).toBe(200);
    await held.reached;
    try {
      const lead = await h.request("POST", "/inquiries", {
        body: { source: "web_form", message: "Meanwhile", client: { email: "meanwhile@example.com" } },
      });
      expect(lead.status).toBe(201);
      expect((await ackOf(chatId))!.status).toBe("queued");
    } finally {
      held.release();
    }
    await expect.poll(async () => (await ackOf(chatId))?.status, { timeout: 15_000 }).toBe("sent");
    expect(h.telegram.calls.filter((c) => c.method === "sendMessage" && isAckTo(chatId)(c.body))).toHaveLength(1);
  });
});
