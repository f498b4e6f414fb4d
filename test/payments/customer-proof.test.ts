// The customer's own proof (issue 19, item 5): a lead without a chat pays by bank transfer and sends the proof from its
// payment page /pay/{token}. It is kept with the customer as its source, staff are told in Telegram, and a manager
// approves it as before. Refused, with the reason on the page: an attempt no longer manual, a paid or closed booking,
// a page out of date, a wrong type, a file too large, the same file again, too many files, and a forged form.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CUSTOMER_PROOFS } from "../../payments";
import { MAX_PROOF_BYTES } from "../../payments/manual/proof-file";
import { newChatId, textUpdate } from "../channels/telegram/updates";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL, payPath } from "../support/setup/payments";

/** The 8-byte PNG signature and an IHDR chunk; `tag` makes another file of the same type. */
const png = (tag = "") =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
    Buffer.from(tag),
  ]);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const MARKUP = "<script>alert(1)</script>";
/** Markup with no slash: a file name keeps it whole through multipart. */
const TAG = "<img src=x onerror=alert(1)>";

interface Page {
  status: number;
  type: string | null;
  location: string | null;
  text: string;
}

describe("the customer's own proof on /pay/{token}", () => {
  let p: PaymentTestHub;
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };
  let managerChat: number;
  let resources = 0;

  beforeAll(async () => {
    // Stripe first and no secondary: a Stripe failure falls to a manual attempt; a new round starts at Stripe again.
    p = await startHub({
      telegram: true,
      payments: { stripe: true, secondary: null },
      env: { MANUAL_PAYMENT_INSTRUCTIONS: "Transfer {{amount}} to 12-34-56 / 12345678, reference {{reference}}." },
    });
    managerA = await p.createUser("manager", "Ada Manager");
    managerB = await p.createUser("manager", "Ben Manager");
    // Ada's Telegram is linked: she hears of the customer's proof there.
    managerChat = newChatId();
    const code = await p.request("POST", `/operators/${managerA.id}/telegram-link`, { key: managerA.key });
    expect(code.status).toBe(201);
    await p.telegram.post(textUpdate({ chatId: managerChat, messageId: 1 }, `/link ${code.body.code}`));
    // The bot answers /link while it handles the update.
    expect(p.telegram.textsIn(managerChat).join("\n")).toMatch(/^Linked/);
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** A web-form lead (no chat), a booking for it accepted by staff, and its deposit fallen to a manual attempt. */
  const manualBooking = async () => {
    const lead = await p.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        client: { name: "Wendy Web", email: `wendy${++resources}@example.co.uk` },
        message: "A table for two; we will pay by bank transfer",
      },
    });
    expect(lead.status).toBe(201);
    const room = await p.request("POST", "/resources", { body: { name: `Proof room ${resources}`, capacity: 6 } });
    const held = await p.request("POST", "/bookings", {
      body: {
        inquiry_id: lead.body.id,
        resource_id: room.body.id,
        start_at: "2027-06-04T19:00",
        duration_minutes: 120,
        party_size: 2,
        deposit_amount: 2500,
      },
    });
    expect(held.status).toBe(201);
    p.payments.stripe!.failNext(500);
    expect((await p.request("POST", `/bookings/${held.body.id}/accept`)).status).toBe(200);
    const [, manual] = await p.payments.attempts(held.body.id, 2);
    expect(manual).toMatchObject({ provider: "manual", status: "open" });
    return {
      bookingId: held.body.id as string,
      reference: held.body.reference as string,
      inquiryId: lead.body.id as string,
      paymentId: manual.id as string,
      path: payPath(manual.pay_url),
    };
  };

  const open = async (path: string): Promise<Page> => {
    const res = await p.hub.app.request(path);
    return { status: res.status, type: res.headers.get("content-type"), location: null, text: await res.text() };
  };
  /** The form as a browser sends it: multipart, the page's hidden token, an Origin of the hub's own. */
  const send = async (
    path: string,
    fields: { file?: Buffer | null; name?: string; note?: string; attempt?: string | null },
    headers: Record<string, string> = { Origin: "http://localhost" },
  ): Promise<Page> => {
    const form = new FormData();
    if (fields.file !== null)
      form.set("file", new Blob([new Uint8Array(fields.file ?? png())]), fields.name ?? "a.png");
    if (fields.note !== undefined) form.set("note", fields.note);
    if (fields.attempt !== null && fields.attempt !== undefined) form.set("attempt", fields.attempt);
    const res = await p.hub.app.request(`${path}/proof`, { method: "POST", headers, body: form });
    return {
      status: res.status,
      type: res.headers.get("content-type"),
      location: res.headers.get("location"),
      text: await res.text(),
    };
  };
  const proofRows = (paymentId: string) =>
    p.rows<{ via: string; uploaded_by: string | null; comment: string; file_name: string }>(
      sql`select via, uploaded_by::text, comment, file_name from payment_proofs where payment_id = ${paymentId} order by created_at`,
    );
  const approve = (paymentId: string, key: string) =>
    p.request("POST", `/payments/${paymentId}/approve`, { key, body: { note: "Seen on the statement of 4 June" } });

  it("shows a manual attempt's page with an accessible form, takes the proof, tells staff, and a manager's approval confirms the booking", async () => {
    const b = await manualBooking();
    const page = await open(b.path);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Transfer £25.00 to 12-34-56 / 12345678, reference ${b.reference}.`);
    expect(page.text).toContain(`<form method="post" action="${b.path}/proof" enctype="multipart/form-data">`);
    expect(page.text).toContain(`<input type="hidden" name="attempt" value="${b.paymentId}">`);
    expect(page.text).toContain('<label for="proof-file">Photo or PDF of your transfer</label>');
    expect(page.text).toMatch(/<input id="proof-file" name="file" type="file"[^>]* required/);
    expect(page.text).toContain('<label for="proof-note">A note for us (optional)</label>');
    expect(page.text).toContain('<textarea id="proof-note" name="note"');
    expect(page.text).not.toContain("<script");

    const sent = await send(b.path, {
      file: PDF,
      name: `${TAG}.pdf`,
      note: `Paid 4 June from A Smith ${MARKUP}`,
      attempt: b.paymentId,
    });
    expect(sent).toMatchObject({ status: 303, location: b.path });
    const after = await open(b.path);
    expect(after.status).toBe(200);
    expect(after.text).toContain("We have received your proof of payment:");
    expect(after.text).toContain("What happens next: we check it against our bank account.");
    expect(after.text).toContain("&lt;img src=x onerror=alert(1)&gt;.pdf");
    expect(after.text).not.toContain(TAG);
    expect(after.text).toContain("Send another file");

    expect(await proofRows(b.paymentId)).toEqual([
      { via: "customer", uploaded_by: null, comment: `Paid 4 June from A Smith ${MARKUP}`, file_name: `${TAG}.pdf` },
    ]);
    const detail = await p.request("GET", `/payments/${b.paymentId}`, { key: managerB.key });
    expect(detail.body).toMatchObject({
      status: "awaiting_approval",
      proofs: [{ via: "customer", uploaded_by: null, content_type: "application/pdf", sender_telegram_user_id: null }],
    });
    const audit = await p.rows<{ action: string; actor_kind: string; actor_id: string | null }>(
      sql`select action, actor_kind, actor_id::text from audit_log where entity_id = ${b.paymentId} and actor_kind = 'customer' order by id`,
    );
    expect(audit).toEqual([
      { action: "payment.proof_received", actor_kind: "customer", actor_id: null },
      { action: "payment.proof_added", actor_kind: "customer", actor_id: null },
    ]);
    // The inquiry's timeline says the customer sent it, not staff nor the hub.
    const timeline = await p.request("GET", `/inquiries/${b.inquiryId}/timeline?kind=payment`, { key: managerB.key });
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({ action: "payment.proof_added", by: "customer", actor_id: null }),
    );
    // Staff hear of it in Telegram: the linked manager, who approves such things.
    await expect
      .poll(
        () =>
          p.telegram
            .textsIn(managerChat)
            .find((m) => m.startsWith("Proof of payment from the customer") && m.includes(`${b.reference} · `)),
        POLL,
      )
      .toMatch(new RegExp(`${b.reference} · INQ-\\d+ · deposit £25\\.00\\nPDF, 1 KB\\. Their note: "Paid 4 June`));
    const [notice] = await p.rows<{ kind: string; payment_id: string }>(
      sql`select kind::text, payment_id::text from staff_notices where kind = 'customer_proof' and payment_id = ${b.paymentId}`,
    );
    expect(notice).toEqual({ kind: "customer_proof", payment_id: b.paymentId });

    // Four eyes as before: the customer's proof names no member of staff, so any manager may approve it.
    const approved = await approve(b.paymentId, managerA.key);
    expect(approved).toMatchObject({ status: 200, body: { status: "paid", approval: { approved_by: managerA.id } } });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    expect((await open(b.path)).text).toContain("<h1>Paid</h1>");

    // The page's form sent again after the payment: refused with the reason, nothing stored.
    const late = await send(b.path, { file: png("late"), attempt: b.paymentId });
    expect(late.status).toBe(409);
    expect(late.type).toMatch(/^text\/html/);
    expect(late.text).toContain(`The deposit for ${b.reference} is paid already: no proof is needed.`);
    expect(await proofRows(b.paymentId)).toHaveLength(1);
  });

  it("keeps four eyes: a manager who added a proof of their own cannot approve, another can", async () => {
    const b = await manualBooking();
    expect((await send(b.path, { file: png("four-eyes"), attempt: b.paymentId })).status).toBe(303);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(PDF)]), "statement.pdf");
    form.set("comment", "The bank statement line");
    const staff = await p.hub.app.request(`/payments/${b.paymentId}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${managerA.key}` },
      body: form,
    });
    expect(staff.status).toBe(201);
    expect(await approve(b.paymentId, managerA.key)).toMatchObject({
      status: 403,
      body: { detail: "You sent a proof of this payment: another manager must approve it." },
    });
    expect((await approve(b.paymentId, managerB.key)).status).toBe(200);
  });

  it("refuses a wrong type, a file over 10 MB, no file and the same file twice, on the page with the reason and the form", async () => {
    const b = await manualBooking();
    const wrong = await send(b.path, {
      file: Buffer.from("just text"),
      name: "proof.txt",
      note: MARKUP,
      attempt: b.paymentId,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.type).toMatch(/^text\/html/);
    expect(wrong.text).toContain("<title>Error: Pay £25.00");
    expect(wrong.text).toContain('role="alert"');
    expect(wrong.text).toContain("The file must be a photo (JPEG, PNG or HEIC) or a PDF.");
    // The note comes back in the box, escaped.
    expect(wrong.text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
    expect(wrong.text).not.toContain(MARKUP);

    const big = Buffer.concat([png(), Buffer.alloc(MAX_PROOF_BYTES)]);
    const tooLarge = await send(b.path, { file: big, attempt: b.paymentId });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toContain("The file is larger than 10 MB.");
    expect(tooLarge.text).toContain('name="file"');
    // Past the route's body limit, refused before it is read: the same page.
    const huge = await send(b.path, { file: Buffer.concat([big, Buffer.alloc(128 * 1024)]), attempt: b.paymentId });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain("The file is larger than 10 MB.");

    const none = await send(b.path, { file: null, attempt: b.paymentId });
    expect(none.status).toBe(400);
    expect(none.text).toContain("Choose a photo or PDF of your transfer to send.");
    expect(await proofRows(b.paymentId)).toEqual([]);

    expect((await send(b.path, { file: png("once"), attempt: b.paymentId })).status).toBe(303);
    const again = await send(b.path, { file: png("once"), name: "again.png", attempt: b.paymentId });
    expect(again.status).toBe(409);
    expect(again.text).toMatch(
      /We have this file already \(received .+, London time\): there is no need to send it again\./,
    );
    expect(await proofRows(b.paymentId)).toHaveLength(1);
  });

  it(`takes at most ${MAX_CUSTOMER_PROOFS} files from the customer for one attempt`, async () => {
    const b = await manualBooking();
    for (let i = 0; i < MAX_CUSTOMER_PROOFS; i++)
      expect((await send(b.path, { file: png(`many-${i}`), attempt: b.paymentId })).status).toBe(303);
    expect((await open(b.path)).text).not.toContain('name="file"');
    const more = await send(b.path, { file: png("one-more"), attempt: b.paymentId });
    expect(more.status).toBe(409);
    expect(more.text).toContain(`You have sent ${MAX_CUSTOMER_PROOFS} files for this payment already`);
    expect(await proofRows(b.paymentId)).toHaveLength(MAX_CUSTOMER_PROOFS);
  });

  it("is in the OpenAPI document as a page route taking multipart", async () => {
    const doc = (await p.request("GET", "/openapi.json", { key: null })).body;
    const route = doc.paths["/pay/{token}/proof"].post;
    expect(Object.keys(route.requestBody.content)).toEqual(["multipart/form-data"]);
    expect(Object.keys(route.responses)).toEqual(
      expect.arrayContaining(["303", "400", "403", "404", "409", "410", "413", "415"]),
    );
  });

  it("refuses a form from another site, or without the page's token, with 403 and stores nothing", async () => {
    const b = await manualBooking();
    const forged = [
      send(b.path, { attempt: b.paymentId }, { Origin: "https://evil.example" }),
      send(b.path, { attempt: b.paymentId }, { "Sec-Fetch-Site": "cross-site" }),
      send(b.path, { attempt: randomUUID() }),
      send(b.path, { attempt: null }),
    ];
    for (const answer of await Promise.all(forged)) {
      expect(answer.status).toBe(403);
      expect(answer.type).toMatch(/^text\/html/);
      expect(answer.text).toMatch(/another (site|origin)|does not come from your payment page/);
    }
    const json = await p.hub.app.request(`${b.path}/proof`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ attempt: b.paymentId }),
    });
    expect(json.status).toBe(415);
    expect(json.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await proofRows(b.paymentId)).toEqual([]);
    expect(
      (await p.hub.app.request(`/pay/${"x".repeat(43)}/proof`, { method: "POST", body: new FormData() })).status,
    ).toBe(404);
  });

  it("refuses an upload once the attempt is no longer manual, from a page out of date, or for a cancelled booking", async () => {
    const b = await manualBooking();
    expect(
      (
        await p.request("POST", `/payments/${b.paymentId}/reject`, {
          key: managerB.key,
          body: { note: "No such transfer" },
        })
      ).status,
    ).toBe(200);
    // A new round starts at Stripe, which works now: the link leads to its checkout page.
    const round = await p.request("POST", `/bookings/${b.bookingId}/payments`, { key: managerB.key });
    expect(round).toMatchObject({ status: 201, body: { provider: "stripe" } });
    await p.payments.attempts(b.bookingId, 3);
    const online = await send(b.path, { file: png("online"), attempt: b.paymentId });
    expect(online.status).toBe(409);
    expect(online.text).toContain(
      `The deposit for ${b.reference} is no longer paid by bank transfer: it can be paid online now.`,
    );
    expect(await proofRows(b.paymentId)).toEqual([]);

    const c = await manualBooking();
    expect(
      (
        await p.request("POST", `/payments/${c.paymentId}/reject`, {
          key: managerB.key,
          body: { note: "Wrong amount" },
        })
      ).status,
    ).toBe(200);
    // The next round falls to manual again: a form from the page of the old attempt is out of date.
    p.payments.stripe!.failNext(500);
    expect((await p.request("POST", `/bookings/${c.bookingId}/payments`, { key: managerB.key })).status).toBe(201);
    const [, , , fresh] = await p.payments.attempts(c.bookingId, 4);
    expect(fresh).toMatchObject({ provider: "manual", status: "open" });
    const stale = await send(c.path, { file: png("stale"), attempt: c.paymentId });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("This page was out of date");
    expect(stale.text).toContain(`<input type="hidden" name="attempt" value="${fresh.id}">`);
    expect((await send(c.path, { file: png("stale"), attempt: fresh.id })).status).toBe(303);

    const d = await manualBooking();
    expect(
      (
        await p.request("POST", `/bookings/${d.bookingId}/cancel`, {
          key: managerB.key,
          body: { reason: "The customer changed plans" },
        })
      ).status,
    ).toBe(200);
    const cancelled = await send(d.path, { file: png("cancelled"), attempt: d.paymentId });
    expect(cancelled.status).toBe(410);
    expect(cancelled.text).toContain(`Booking ${d.reference} is cancelled: no payment is due.`);
    expect(await proofRows(d.paymentId)).toEqual([]);
  });
});
