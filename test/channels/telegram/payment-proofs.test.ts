// A linked operator sends the proof of a manual payment from Telegram: a photo or a document with a caption, in reply
// to the hub's "Manual payment required" notice. Anything else is left to the bot's other handlers.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { documentUpdate, newChatId, photoUpdate, textUpdate } from "./updates";

const POLL = { timeout: 15_000, interval: 50 };

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** A small PDF (the sniffing reads its first bytes). */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n", "latin1");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("payment proofs from Telegram", () => {
  let h: TelegramTestHub;
  let operator: { id: string; key: string; chat: number };
  let messageId = 0;
  let rooms = 0;
  let files = 0;

  beforeAll(async () => {
    // No payment provider is configured: every deposit falls to the manual provider at once.
    h = await startHub({ telegram: true });
    const user = await h.createUser("operator", "Olga Operator");
    const chat = newChatId();
    const { code } = (await h.request("POST", `/operators/${user.id}/telegram-link`)).body;
    await h.telegram.post(textUpdate({ chatId: chat, messageId: ++messageId }, `/link ${code}`));
    expect(h.telegram.textsIn(chat).join("\n")).toMatch(/^Linked/);
    operator = { ...user, chat };
  });
  afterAll(() => h?.stop());

  /**
   * A web-form lead, a room of its own, a booking held and accepted: its manual attempt and the notice in Olga's chat.
   */
  const manualBooking = async () => {
    const lead = await h.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: `proof${++rooms}@example.com` } },
    });
    expect(lead.status).toBe(201);
    const room = await h.request("POST", "/resources", { body: { name: `Proof room ${rooms}`, capacity: 8 } });
    expect(room.status).toBe(201);
    const held = await h.request("POST", "/bookings", {
      body: {
        inquiry_id: lead.body.id,
        resource_id: room.body.id,
        start_at: "2027-04-02T19:00",
        duration_minutes: 120,
        party_size: 2,
        deposit_amount: 2500,
      },
    });
    expect(held.status).toBe(201);
    expect((await h.request("POST", `/bookings/${held.body.id}/accept`)).status).toBe(200);
    const reference: string = held.body.reference;

    await expect
      .poll(async () => (await h.request("GET", `/bookings/${held.body.id}/payments`)).body.items[0], POLL)
      .toMatchObject({ provider: "manual", status: "open" });
    const payment = (await h.request("GET", `/bookings/${held.body.id}/payments`)).body.items[0];

    // Notices of other inquiries land in the chat too: this one is found by what it says.
    const notice = () =>
      h.telegram.sent.find(
        (m) =>
          m.chat_id === String(operator.chat) &&
          m.text.startsWith("Manual payment required.") &&
          m.text.includes(`${reference} · `),
      );
    await expect.poll(() => notice() !== undefined, POLL).toBe(true);
    const noticeMessageId = notice()!.message_id;
    // Telegram answers sendMessage a moment before the hub records the notice as sent.
    await expect
      .poll(
        async () =>
          h.hub.database.rows<{ status: string; payment_id: string }>(
            sql`select status, payment_id::text from staff_notices where telegram_message_id = ${`${operator.chat}:${noticeMessageId}`}`,
          ),
        POLL,
      )
      .toEqual([{ status: "sent", payment_id: payment.id }]);
    return {
      bookingId: held.body.id as string,
      reference,
      paymentId: payment.id as string,
      noticeMessageId,
      noticeText: notice()!.text,
    };
  };

  /** Posts an update from Olga's chat and returns the bot's answers to it (notices that land meanwhile left out). */
  const send = async (update: unknown) => {
    const before = h.telegram.textsIn(operator.chat).length;
    expect((await h.telegram.post(update)).status).toBe(200);
    return h.telegram
      .textsIn(operator.chat)
      .slice(before)
      .filter((t) => !/^(New inquiry INQ-\d+ · |Manual payment required\.|SLA breached: |Escalation: )/.test(t))
      .join("\n");
  };
  const detail = async (paymentId: string) => (await h.request("GET", `/payments/${paymentId}`)).body;
  const proofCount = async (paymentId: string) =>
    (
      await h.hub.database.rows<{ n: number }>(
        sql`select count(*)::int as n from payment_proofs where payment_id = ${paymentId}`,
      )
    )[0]!.n;
  const newFileId = () => `AgACAgQAAxkBAAIC${++files}`;

  it("takes a captioned photo replying to the notice as the payment's proof: awaiting approval, then a manager approves it", async () => {
    const b = await manualBooking();
    const fileId = newFileId();
    const filePath = h.telegram.addFile(fileId, PNG);
    const update = photoUpdate({ chatId: operator.chat, messageId: ++messageId }, fileId, {
      caption: "Bank transfer of £25.00 received 2 Apr, Barclays ref 77812",
      replyTo: { messageId: b.noticeMessageId, text: b.noticeText },
      fileSize: PNG.length,
    });

    const answer = await send(update);
    expect(answer).toBe(
      `Proof saved for ${b.reference} (PNG, ${PNG.length} B). A manager who did not send it approves it: POST /payments/${b.paymentId}/approve.`,
    );
    expect(h.telegram.calls.filter((c) => c.method === "getFile").map((c) => c.body.file_id)).toContain(fileId); // the largest size, not the thumbnail
    expect(h.telegram.downloads).toContain(filePath);

    const payment = await detail(b.paymentId);
    expect(payment.status).toBe("awaiting_approval");
    expect(payment.proofs).toEqual([
      expect.objectContaining({
        uploaded_by: operator.id,
        via: "telegram",
        content_type: "image/png",
        size_bytes: PNG.length,
        sha256: sha256(PNG),
        comment: "Bank transfer of £25.00 received 2 Apr, Barclays ref 77812",
      }),
    ]);
    const [audit] = await h.hub.database.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${b.paymentId} and action = 'payment.proof_added'`,
    );
    expect(audit!.n).toBe(1);

    // Telegram redelivers an update it got no 200 for: the same file is one proof.
    expect(await send(update)).toMatch(new RegExp(`^That file is a proof of ${b.reference} already`));
    expect(await proofCount(b.paymentId)).toBe(1);

    const manager = await h.createUser("manager");
    const approved = await h.request("POST", `/payments/${b.paymentId}/approve`, {
      key: manager.key,
      body: { note: "Seen on the statement" },
    });
    expect(approved.status).toBe(200);
    expect((await detail(b.paymentId)).status).toBe("paid");
    expect((await h.request("GET", `/bookings/${b.bookingId}`)).body.status).toBe("confirmed");
  });

  it("refuses a proof without a caption, and stores nothing; with the caption the PDF is taken", async () => {
    const b = await manualBooking();
    const fileId = newFileId();
    h.telegram.addFile(fileId, PDF);
    const downloads = h.telegram.downloads.length;
    const pdf = (caption?: string) =>
      documentUpdate(
        { chatId: operator.chat, messageId: ++messageId },
        fileId,
        { fileName: "statement.pdf", mimeType: "application/pdf" },
        {
          caption,
          replyTo: { messageId: b.noticeMessageId, text: b.noticeText },
          fileSize: PDF.length,
        },
      );

    expect(await send(pdf())).toBe("Add a caption saying what the proof shows, and send it again.");
    expect(await send(pdf("   "))).toBe("Add a caption saying what the proof shows, and send it again.");
    expect(h.telegram.downloads.length).toBe(downloads); // nothing fetched for it
    expect(await proofCount(b.paymentId)).toBe(0);
    expect((await detail(b.paymentId)).status).toBe("open");

    expect(await send(pdf("Statement page showing the transfer"))).toBe(
      `Proof saved for ${b.reference} (PDF, ${PDF.length} B). A manager who did not send it approves it: POST /payments/${b.paymentId}/approve.`,
    );
    expect(await detail(b.paymentId)).toMatchObject({
      status: "awaiting_approval",
      proofs: [
        expect.objectContaining({
          via: "telegram",
          file_name: "statement.pdf",
          content_type: "application/pdf",
          sha256: sha256(PDF),
          size_bytes: PDF.length,
        }),
      ],
    });
  });

  it("answers a file the hub cannot take with the reason: over 10 MB (not downloaded), not a PDF or image", async () => {
    const b = await manualBooking();
    const replyTo = { messageId: b.noticeMessageId, text: b.noticeText };
    const big = newFileId();
    h.telegram.addFile(big, PNG, { fileSize: 11 * 1024 * 1024 });
    const downloads = h.telegram.downloads.length;
    expect(
      await send(
        photoUpdate({ chatId: operator.chat, messageId: ++messageId }, big, {
          caption: "Transfer",
          replyTo,
          fileSize: 11 * 1024 * 1024,
        }),
      ),
    ).toBe("That file is over 10 MB: send a smaller photo or PDF of the proof.");
    expect(h.telegram.calls.filter((c) => c.method === "getFile" && c.body.file_id === big)).toEqual([]);
    expect(h.telegram.downloads.length).toBe(downloads);

    const text = newFileId();
    h.telegram.addFile(text, Buffer.from("just some text, not a proof"));
    const answer = await send(
      documentUpdate(
        { chatId: operator.chat, messageId: ++messageId },
        text,
        { fileName: "notes.txt", mimeType: "text/plain" },
        { caption: "Transfer", replyTo },
      ),
    );
    expect(answer).toBe("file: must be a PDF, JPEG, PNG or HEIC file");
    expect(await proofCount(b.paymentId)).toBe(0);
  });

  it("does not take a photo replying to another message, or to nothing, as a proof", async () => {
    const b = await manualBooking();
    const fileId = newFileId();
    h.telegram.addFile(fileId, PNG);
    const linked = h.telegram.sent.find((m) => m.chat_id === String(operator.chat) && m.text.startsWith("Linked"))!;
    for (const replyTo of [{ messageId: linked.message_id, text: linked.text }, undefined]) {
      const answer = await send(
        photoUpdate({ chatId: operator.chat, messageId: ++messageId }, fileId, {
          caption: "Bank transfer received",
          replyTo,
        }),
      );
      // The other handlers have it: staff get the command list.
      expect(answer).toMatch(/^Operator commands:/);
    }
    expect(h.telegram.calls.filter((c) => c.method === "getFile" && c.body.file_id === fileId)).toEqual([]);
    expect(await proofCount(b.paymentId)).toBe(0);
    expect((await detail(b.paymentId)).status).toBe("open");
  });

  it("leaves a customer's photo to the customer flow", async () => {
    const chat = newChatId();
    const fileId = newFileId();
    h.telegram.addFile(fileId, PNG);
    expect(
      (await h.telegram.post(photoUpdate({ chatId: chat, messageId: 1 }, fileId, { caption: "Our party last year" })))
        .status,
    ).toBe(200);
    const [message] = await h.hub.database.rows<{ kind: string; body: string }>(
      sql`select m.kind::text, m.body from messages m join inquiries i on i.id = m.inquiry_id where i.external_chat_id = ${String(chat)} and m.direction = 'inbound'`,
    );
    expect(message).toEqual({ kind: "photo", body: "[photo] Our party last year" });
    expect(h.telegram.calls.filter((c) => c.method === "getFile" && c.body.file_id === fileId)).toEqual([]);
  });
});
