// Customers on Telegram: the webhook's secret, greeting, inquiries from messages, follow-ups, contacts, media.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { messageUpdate, newChatId, textUpdate } from "./updates";

describe("Telegram customers", () => {
  let h: TelegramTestHub;
  beforeAll(async () => {
    h = await startHub({ telegram: true });
  });
  afterAll(() => h.stop());

  const inquiriesOf = (chatId: number) =>
    h.hub.database.rows<{
      id: string;
      reference: string;
      status: string;
      external_message_id: string;
      webhook_event_id: string;
    }>(
      sql`select id, 'INQ-' || number as reference, status, external_message_id, webhook_event_id
          from inquiries where external_chat_id = ${String(chatId)} order by number`,
    );
  const ackIn = async (chatId: number) => {
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/Your reference is INQ-\d+/);
    return h.telegram.textsIn(chatId).find((text) => /Your reference is INQ-\d+/.test(text))!;
  };

  it("answers a missing or wrong secret with 401 and stores nothing, without calling Telegram", async () => {
    const before = await h.telegram.counts();
    const calls = h.telegram.calls.length;
    const update = textUpdate({ chatId: newChatId(), messageId: 1 }, "Hello");
    for (const secret of [null, "wrong-secret-wrong-secret", ""]) {
      const res = await h.telegram.post(update, secret);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ status: 401 });
    }
    expect(await h.telegram.counts()).toEqual(before);
    expect(h.telegram.calls.length).toBe(calls);
  });

  it("documents the webhook in the OpenAPI document", async () => {
    const doc = (await h.request("GET", "/openapi.json", { key: null })).body;
    expect(doc.paths["/webhooks/telegram"].post.summary).toMatch(/Telegram Bot API updates/);
  });

  it("answers a body that is not an update with 400", async () => {
    const before = await h.telegram.counts();
    expect((await h.telegram.post("not json")).status).toBe(400);
    expect((await h.telegram.post({ message: {} })).status).toBe(400);
    expect(await h.telegram.counts()).toEqual(before);
  });

  it("greets /start with the welcome text and a share-contact button, and opens no inquiry", async () => {
    const chatId = newChatId();
    const before = await h.telegram.counts();
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "/start"))).status).toBe(200);
    expect(h.telegram.textsIn(chatId)).toEqual([expect.stringMatching(/^Hello! Tell us what you would like to book/)]);
    expect(JSON.stringify(h.telegram.sent.find((m) => m.chat_id === String(chatId))!.reply_markup)).toContain(
      "request_contact",
    );
    expect((await h.telegram.counts()).inquiries).toBe(before.inquiries);
  });

  it("opens a telegram inquiry from a first message and acknowledges it with the reference and the London deadline", async () => {
    const chatId = newChatId();
    const update = textUpdate(
      { chatId, messageId: 7, firstName: "Ann", lastName: "Smith" },
      "A table for 4 on Friday?",
    );
    expect((await h.telegram.post(update)).status).toBe(200);
    const [inquiry] = await inquiriesOf(chatId);
    expect(inquiry).toMatchObject({ external_message_id: `${chatId}:7`, webhook_event_id: String(update.update_id) });
    const res = await h.request("GET", `/inquiries/${inquiry!.id}`);
    expect(res.body).toMatchObject({
      source: "telegram",
      message: "A table for 4 on Friday?",
      client: { name: "Ann Smith" },
    });
    const ack = await ackIn(chatId);
    expect(ack).toContain(inquiry!.reference);
    expect(ack).toMatch(/\d{2}:\d{2} (GMT|BST)/);
  });

  it("adds a follow-up to the open inquiry: its conversation has both messages and the sent acknowledgement", async () => {
    const chatId = newChatId();
    await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "Hi, do you have space tonight?"));
    await ackIn(chatId);
    await h.telegram.post(textUpdate({ chatId, messageId: 5 }, "For two people"));
    const inquiries = await inquiriesOf(chatId);
    expect(inquiries).toHaveLength(1);
    await expect
      .poll(
        async () =>
          (await h.request("GET", `/inquiries/${inquiries[0]!.id}/messages`)).body.items.find(
            (m: any) => m.template === "telegram.acknowledged",
          )?.status,
        {
          timeout: 15_000,
        },
      )
      .toBe("sent");
    const { items } = (await h.request("GET", `/inquiries/${inquiries[0]!.id}/messages`)).body;
    expect(items.filter((m: any) => m.direction === "inbound").map((m: any) => m.body)).toEqual([
      "Hi, do you have space tonight?",
      "For two people",
    ]);
    const ack = items.find((m: any) => m.template === "telegram.acknowledged");
    expect(ack).toMatchObject({
      direction: "outbound",
      external_chat_id: String(chatId),
      external_message_id: expect.stringMatching(new RegExp(`^${chatId}:\\d+$`)),
    });
  });

  it("opens a new inquiry for the next message once the last one is closed", async () => {
    const chatId = newChatId();
    await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "First question"));
    const [first] = await inquiriesOf(chatId);
    expect((await h.request("PATCH", `/inquiries/${first!.id}`, { body: { status: "closed" } })).status).toBe(200);
    await h.telegram.post(textUpdate({ chatId, messageId: 2 }, "Another booking, please"));
    const inquiries = await inquiriesOf(chatId);
    expect(inquiries.map((i) => i.status)).toEqual(["closed", "new"]);
  });

  it("takes the same message_id in two chats as two inquiries (Telegram numbers messages per chat)", async () => {
    const [a, b] = [newChatId(), newChatId()];
    await h.telegram.post(textUpdate({ chatId: a, messageId: 1 }, "Hello from A"));
    await h.telegram.post(textUpdate({ chatId: b, messageId: 1 }, "Hello from B"));
    expect(await inquiriesOf(a)).toHaveLength(1);
    expect(await inquiriesOf(b)).toHaveLength(1);
  });

  it("changes nothing when an update is delivered again", async () => {
    const chatId = newChatId();
    const first = textUpdate({ chatId, messageId: 1 }, "Hello");
    const second = textUpdate({ chatId, messageId: 2 }, "Are you there?");
    await h.telegram.post(first);
    await h.telegram.post(second);
    await ackIn(chatId);
    const before = await h.telegram.counts();
    const sent = h.telegram.textsIn(chatId).length;
    expect((await h.telegram.post(first)).status).toBe(200);
    expect((await h.telegram.post(second)).status).toBe(200);
    expect(await h.telegram.counts()).toEqual(before);
    expect(h.telegram.textsIn(chatId).length).toBe(sent);
  });

  it("takes photos, stickers and voice messages, and answers an edit with 200 and no change", async () => {
    const chatId = newChatId();
    const photo = messageUpdate(
      { chatId, messageId: 1 },
      { photo: [{ file_id: "p1", file_unique_id: "u1", width: 90, height: 90 }], caption: "This room?" },
    );
    const sticker = messageUpdate(
      { chatId, messageId: 2 },
      {
        sticker: {
          file_id: "s1",
          file_unique_id: "u2",
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: "😀",
        },
      },
    );
    const voice = messageUpdate(
      { chatId, messageId: 3 },
      { voice: { file_id: "v1", file_unique_id: "u3", duration: 4 } },
    );
    for (const update of [photo, sticker, voice]) expect((await h.telegram.post(update)).status).toBe(200);
    const before = await h.telegram.counts();
    const edit = messageUpdate({ chatId, messageId: 1 }, { text: "Edited text" }, "edited_message");
    expect((await h.telegram.post(edit)).status).toBe(200);
    expect(await h.telegram.counts()).toEqual(before);
    const [inquiry] = await inquiriesOf(chatId);
    const { items } = (await h.request("GET", `/inquiries/${inquiry!.id}/messages`)).body;
    expect(items.filter((m: any) => m.direction === "inbound").map((m: any) => [m.kind, m.body])).toEqual([
      ["photo", "[photo] This room?"],
      ["sticker", "[sticker 😀]"],
      ["voice", "[voice message, 4 s]"],
    ]);
  });

  it("ignores group chats: 200, nothing stored, no answer", async () => {
    const chatId = newChatId();
    const before = await h.telegram.counts();
    expect((await h.telegram.post(textUpdate({ chatId, messageId: 1, chatType: "group" }, "Hello group"))).status).toBe(
      200,
    );
    expect(await h.telegram.counts()).toEqual(before);
    expect(h.telegram.textsIn(-chatId)).toEqual([]);
  });

  it("takes a shared contact as the client's phone; a later phone lead for that number finds the same client", async () => {
    const chatId = newChatId();
    await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "Could you call me back?"));
    const contact = messageUpdate(
      { chatId, messageId: 2 },
      { contact: { phone_number: "447911100123", first_name: "Ann", user_id: chatId } },
    );
    expect((await h.telegram.post(contact)).status).toBe(200);
    const [inquiry] = await inquiriesOf(chatId);
    const res = await h.request("GET", `/inquiries/${inquiry!.id}`);
    expect(res.body.client.phone).toBe("+447911100123");
    expect(h.telegram.textsIn(chatId)).toContain("Thank you, we have your number +447911100123.");

    const operator = await h.createUser("operator");
    const phoneLead = await h.request("POST", "/inquiries", {
      key: operator.key,
      body: {
        source: "phone",
        client: { phone: "07911 100123" },
        duration_seconds: 60,
        call_result: "answered_interested",
        operator_id: operator.id,
      },
    });
    expect(phoneLead.status).toBe(201);
    expect(phoneLead.body.client_id).toBe(res.body.client_id);
  });

  it("keeps somebody else's contact card as a message but not as the customer's phone", async () => {
    const chatId = newChatId();
    await h.telegram.post(textUpdate({ chatId, messageId: 1 }, "My friend wants to book"));
    await h.telegram.post(
      messageUpdate(
        { chatId, messageId: 2 },
        { contact: { phone_number: "+447911555999", first_name: "Bob", user_id: 42 } },
      ),
    );
    const [inquiry] = await inquiriesOf(chatId);
    expect((await h.request("GET", `/inquiries/${inquiry!.id}`)).body.client.phone).toBeNull();
  });
});
