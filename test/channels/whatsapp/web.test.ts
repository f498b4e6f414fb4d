// whatsapp-web.js driver: an injected event-emitter client in place of the browser session, through the whole hub.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebMessage } from "../../../channels/whatsapp/web/client";
import { incoming } from "../../support/fakes/whatsapp-web-client";
import { startHub, type TestHub } from "../../support/hub";

describe("WhatsApp through whatsapp-web.js", () => {
  let t: TestHub<{ whatsapp: "web" }>;
  beforeAll(async () => {
    t = await startHub({ whatsapp: "web" });
  });
  afterAll(() => t.stop());

  const inquiriesOf = (chatId: string) =>
    t.hub.database.rows<{ id: string; reference: string; client_id: string; message: string }>(
      sql`select id, 'INQ-' || number as reference, client_id, message from inquiries where external_chat_id = ${chatId}`,
    );

  it("starts the client with the hub", () => {
    expect(t.whatsapp.initialized).toBe(true);
  });

  it("turns a customer's message into an inquiry and answers in the same chat", async () => {
    const chat = "447912654321@c.us";
    const message = incoming(chat);
    t.whatsapp.emit("message", message);
    await expect.poll(async () => (await inquiriesOf(chat)).length, { timeout: 5000 }).toBe(1);
    const [inquiry] = await inquiriesOf(chat);
    expect(inquiry!.message).toBe("Hi, can we book for Saturday?");
    await expect
      .poll(
        () =>
          t.whatsapp.sent
            .filter((s) => s.chatId === chat)
            .map((s) => s.text)
            .join(),
        { timeout: 10_000 },
      )
      .toContain(inquiry!.reference);

    // Same message again (a reconnect replays it): nothing new. A follow-up joins the conversation.
    t.whatsapp.emit("message", message);
    t.whatsapp.emit("message", incoming(chat, { type: "ptt", body: "" }));
    await expect
      .poll(async () => (await t.request("GET", `/inquiries/${inquiry!.id}/messages`)).body.items.length, {
        timeout: 5000,
      })
      .toBe(3);
    const items = (await t.request("GET", `/inquiries/${inquiry!.id}/messages`)).body.items;
    expect(items.map((m: { direction: string; kind: string }) => `${m.direction}:${m.kind}`)).toEqual([
      "inbound:text",
      "outbound:text",
      "inbound:voice",
    ]);
    expect(await inquiriesOf(chat)).toHaveLength(1);

    // The number is the client's phone: a phone lead for it is the same client.
    const operator = await t.createUser("operator");
    const phone = await t.request("POST", "/inquiries", {
      body: {
        source: "phone",
        client: { phone: "07912 654321" },
        duration_seconds: 30,
        call_result: "no_answer",
        operator_id: operator.id,
      },
    });
    expect(phone.body, JSON.stringify(phone.body)).toMatchObject({ client_id: inquiry!.client_id });
  });

  it("stores a message holding NUL and half a surrogate pair as U+FFFD, as the HTTP channels do", async () => {
    const chat = "447912654399@c.us";
    t.whatsapp.emit("message", incoming(chat, { body: "Table\u0000 for \udc00two" }));
    await expect
      .poll(async () => (await inquiriesOf(chat)).map((i) => i.message), { timeout: 5000 })
      .toEqual(["Table\ufffd for \ufffdtwo"]);
  });

  it("ignores its own messages, group chats and status updates", async () => {
    t.whatsapp.emit("message", incoming("447911000111@c.us", { fromMe: true }));
    t.whatsapp.emit("message", incoming("120363000000000000@g.us"));
    t.whatsapp.emit("message", incoming("status@broadcast", { isStatus: true }));
    // A window in which none of them may become an inquiry.
    await new Promise((r) => setTimeout(r, 500));
    for (const chat of ["447911000111@c.us", "120363000000000000@g.us", "status@broadcast"])
      expect(await inquiriesOf(chat)).toEqual([]);
  });

  it("shows the session on the health view, with a warning while it is not ready", async () => {
    const health = async () => (await t.request("GET", "/health")).body;
    expect((await health()).channels.whatsapp).toEqual({ connected: true, mode: "web (ready)", warnings: [] });
    t.whatsapp.emit("disconnected", "NAVIGATION");
    const after = await health();
    expect(after.status).toBe("degraded");
    expect(after.channels.whatsapp.mode).toBe("web (disconnected)");
    expect(after.warnings).toContain(
      "WhatsApp Web is disconnected: no WhatsApp messages come in or go out until it is ready (see the process log for the QR code).",
    );
    t.whatsapp.emit("ready");
    expect((await health()).channels.whatsapp.warnings).toEqual([]);
  });

  it("retries a send the session refused, then sends", async () => {
    const chat = "447911777888@c.us";
    t.whatsapp.failSends = 1;
    t.whatsapp.emit("message", incoming(chat));
    await expect.poll(() => t.whatsapp.sent.filter((s) => s.chatId === chat).length, { timeout: 15_000 }).toBe(1);
    const row = async () =>
      (
        await t.hub.database.rows<{ status: string; external_message_id: string | null }>(
          sql`select status, external_message_id from messages where direction = 'outbound' and external_chat_id = ${chat}`,
        )
      )[0];
    // The send happened; its row is marked once the delivery's transaction commits.
    await expect
      .poll(row, { timeout: 5000 })
      .toEqual({ status: "sent", external_message_id: expect.stringMatching(new RegExp(`^true_${chat}_OUT\\d+$`)) });
  });

  it("moves a sent message to delivered and read with WhatsApp's acks, the first of which may come before the send returns", async () => {
    const chat = "447911222333@c.us";
    t.whatsapp.emit("message", incoming(chat));
    const row = async () =>
      (
        await t.hub.database.rows<{ status: string; external_message_id: string | null }>(
          sql`select status, external_message_id from messages where direction = 'outbound' and external_chat_id = ${chat}`,
        )
      )[0];
    await expect.poll(async () => (await row())?.status, { timeout: 10_000 }).toBe("sent");
    const ours = (await row())!.external_message_id!;
    const ack = (n: number, overrides: Partial<WebMessage> = {}) =>
      t.whatsapp.emit(
        "message_ack",
        { id: { _serialized: ours }, from: chat, fromMe: true, type: "chat", body: "", timestamp: 0, ...overrides },
        n,
      );
    ack(2);
    await expect.poll(async () => (await row())?.status, { timeout: 5000 }).toBe("delivered");
    ack(3);
    await expect.poll(async () => (await row())?.status, { timeout: 5000 }).toBe("read");
    ack(2); // late: never a step back
    ack(3, { fromMe: false }); // a customer's message being read says nothing about ours
    // A window in which the status may not step back.
    await new Promise((r) => setTimeout(r, 300));
    expect((await row())!.status).toBe("read");
  });
});
