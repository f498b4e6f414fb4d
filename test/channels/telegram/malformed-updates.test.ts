// An update with the secret but not of Telegram's shape (a date that is no Unix time, a chat id that is text) is
// refused with 400 at the webhook, before grammY's handlers read it, and nothing is stored or logged as an error.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { messageUpdate, newChatId, textUpdate } from "./updates";

describe("Telegram updates of the wrong shape", () => {
  let h: TelegramTestHub;
  const errors: string[] = [];

  beforeAll(async () => {
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    h = await startHub({ telegram: true, overrides: { logger } });
  });
  afterAll(() => h.stop());

  const bad = (content: Record<string, unknown>, outer: Record<string, unknown> = {}) => {
    const update = messageUpdate(
      { chatId: newChatId(), messageId: 1 },
      { text: "A table for two", ...content },
    ) as unknown as { message: Record<string, unknown> };
    return { ...update, message: { ...update.message, ...outer } };
  };

  it.each([
    ["a date that is text", bad({}, { date: "yesterday" }), "message.date"],
    ["a date no Date can hold", bad({}, { date: -1e308 }), "message.date"],
    ["a chat id that is text", bad({}, { chat: { id: "5000001", type: "private" } }), "message.chat.id"],
    ["a text that is a number", bad({ text: 42 }), "message.text"],
  ])("answers 400 for %s", async (_name, update, field) => {
    const before = await h.telegram.counts();
    const res = await h.telegram.post(update);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ field })]),
    });
    expect(await h.telegram.counts()).toEqual(before);
    expect(errors).toEqual([]);
  });

  it("still takes a well-formed message", async () => {
    const res = await h.telegram.post(textUpdate({ chatId: newChatId(), messageId: 1 }, "A table for two on Friday"));
    expect(res.status).toBe(200);
  });
});
