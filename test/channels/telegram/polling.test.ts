// TELEGRAM_MODE=polling: the bot takes updates with getUpdates instead of a webhook (local use without a public URL).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { newChatId, newUpdateId, textUpdate } from "./updates";

describe("Telegram long polling", () => {
  let h: TelegramTestHub;
  beforeAll(async () => {
    h = await startHub({ telegram: true, env: { TELEGRAM_MODE: "polling" } });
  });
  afterAll(() => h?.stop());

  it("takes updates from getUpdates, answers in the chat, and mounts no webhook", async () => {
    await expect.poll(() => h.telegram.calls.some((c) => c.method === "deleteWebhook")).toBe(true);
    const chatId = newChatId();
    const updateId = newUpdateId();
    h.telegram.queueUpdate(textUpdate({ chatId, messageId: 1, updateId }, "Hello from polling"));
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/Your reference is INQ-\d+/);
    const rows = await h.hub.database.rows(sql`select 1 from inquiries where external_chat_id = ${String(chatId)}`);
    expect(rows).toHaveLength(1);
    // The next getUpdates confirms the update by its offset, so Telegram does not send it again.
    await expect
      .poll(() => h.telegram.calls.some((c) => c.method === "getUpdates" && Number(c.body.offset) === updateId + 1), {
        timeout: 5_000,
      })
      .toBe(true);
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 2 }, "via webhook"))).status).toBe(404);
  });

  it("stores a polled message holding NUL and half a surrogate pair as U+FFFD, as the webhook does", async () => {
    const chatId = newChatId();
    h.telegram.queueUpdate(textUpdate({ chatId, messageId: 1, updateId: newUpdateId() }, "Table\u0000 for \ud800two"));
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/Your reference is INQ-\d+/);
    const [row] = await h.hub.database.rows<{ message: string }>(
      sql`select message from inquiries where external_chat_id = ${String(chatId)}`,
    );
    expect(row?.message).toBe("Table\ufffd for \ufffdtwo");
  });
});
