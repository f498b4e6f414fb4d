// Rule 7: a manual payment needs a proof, a comment and the approval of a manager who did not send the proof, all
// audited in one transaction; nothing else can mark it paid. With no provider configured, deposits start manual.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lockPayment, movePayment } from "../../payments/orchestrator/attempts";
import { PaymentMoveError } from "../../payments/transitions";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

/** The 8-byte PNG signature and an IHDR chunk: what the proof's type is recognised by. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);
const PDF = Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("manual payments", () => {
  let p: PaymentTestHub;
  let operator: { id: string; key: string };
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };
  beforeAll(async () => {
    p = await startHub({
      telegram: true,
      payments: { stripe: false, secondary: null },
      env: { MANUAL_PAYMENT_INSTRUCTIONS: "Transfer {{amount}} to 12-34-56 / 12345678, reference {{reference}}." },
    });
    operator = await p.createUser("operator");
    managerA = await p.createUser("manager");
    managerB = await p.createUser("manager");
  });
  afterAll(async () => {
    await p?.stop();
  });

  const upload = async (paymentId: string, key: string, file: Buffer | null, comment?: string, name = "proof.png") => {
    const form = new FormData();
    if (file) form.set("file", new Blob([new Uint8Array(file)]), name);
    if (comment !== undefined) form.set("comment", comment);
    const res = await p.hub.app.request(`/payments/${paymentId}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const decide = (
    paymentId: string,
    decision: "approve" | "reject",
    key: string,
    note = "Seen in the bank statement of 1 Dec",
  ) => p.request("POST", `/payments/${paymentId}/${decision}`, { key, body: { note } });

  it("starts manual with no provider configured, and a manager who did not send the proof approves it", async () => {
    const b = await p.payments.acceptedBooking(3000);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(attempt).toMatchObject({ provider: "manual", status: "open", attempt_number: 1, is_fallback: false });
    await expect
      .poll(() => p.telegram.textsIn(b.chat).join("\n"), POLL)
      .toContain(`Transfer £30.00 to 12-34-56 / 12345678, reference ${b.reference}.`);
    const listed = await p.request("GET", "/payments?provider=manual&status=open", { key: operator.key });
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(attempt.id);

    // No proof yet: nothing to approve.
    expect((await decide(attempt.id, "approve", managerB.key)).status).toBe(409);
    // A proof needs a comment and a file of an accepted type.
    expect(await upload(attempt.id, operator.key, PNG, "")).toMatchObject({
      status: 400,
      body: { detail: expect.stringContaining("comment") },
    });
    expect(await upload(attempt.id, operator.key, Buffer.from("just text"), "a note", "proof.txt")).toMatchObject({
      status: 400,
      body: { detail: "file: must be a PDF, JPEG, PNG or HEIC file" },
    });
    expect(await upload(attempt.id, operator.key, null, "a note")).toMatchObject({ status: 400 });

    const proof = await upload(attempt.id, operator.key, PNG, "Screenshot of the customer's transfer");
    expect(proof).toMatchObject({
      status: 201,
      body: { content_type: "image/png", size_bytes: PNG.length, via: "api", uploaded_by: operator.id },
    });
    expect(proof.body.sha256).toBe((await import("node:crypto")).createHash("sha256").update(PNG).digest("hex"));
    const file = await p.hub.app.request(`/payments/${attempt.id}/proofs/${proof.body.id}`, {
      headers: { Authorization: `Bearer ${operator.key}` },
    });
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await p.hub.app.request(`/payments/${attempt.id}/proofs/${proof.body.id}`)).status).toBe(401);

    // An operator cannot approve; a manager who sent a proof cannot either.
    expect((await decide(attempt.id, "approve", operator.key)).status).toBe(403);
    expect((await upload(attempt.id, managerA.key, PDF, "The bank's PDF confirmation", "bank.pdf")).body).toMatchObject(
      { content_type: "application/pdf" },
    );
    const own = await decide(attempt.id, "approve", managerA.key);
    expect(own).toMatchObject({
      status: 403,
      body: { detail: "You sent a proof of this payment: another manager must approve it." },
    });

    const approved = await decide(attempt.id, "approve", managerB.key);
    expect(approved).toMatchObject({
      status: 200,
      body: { status: "paid", approval: { approved_by: managerB.id, note: "Seen in the bank statement of 1 Dec" } },
    });
    expect(approved.body.proofs).toHaveLength(2);
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    const [row] = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from manual_payment_approvals where payment_id = ${attempt.id}`,
    );
    expect(row!.n).toBe(1);
    const actions = await p.rows<{ action: string }>(sql`select action from audit_log where entity_id = ${attempt.id}`);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["payment.proof_added", "payment.approved", "payment.paid"]),
    );
    expect((await decide(attempt.id, "approve", managerB.key)).status).toBe(409);
  });

  it("keeps a proof whose file name holds NUL or half a surrogate pair, with U+FFFD in their place", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    const proof = await upload(attempt.id, operator.key, PNG, "Transfer screenshot", "Ann\u0000 \ud800.png");
    expect(proof, JSON.stringify(proof.body)).toMatchObject({
      status: 201,
      body: { file_name: "Ann\ufffd \ufffd.png" },
    });
  });

  it("rejects with a note and a task; a new round can start after it", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await upload(attempt.id, operator.key, PNG, "Customer says they paid");
    const rejected = await decide(attempt.id, "reject", managerA.key, "No such transfer arrived");
    expect(rejected).toMatchObject({
      status: 200,
      body: { status: "failed", failure_reason: "rejected: No such transfer arrived" },
    });
    const tasks = await p.rows<{ title: string }>(sql`select title from tasks where inquiry_id = ${b.inquiryId}`);
    expect(tasks.map((t) => t.title)).toContain(`Payment failed: ${b.reference}`);
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "awaiting_deposit" });

    const again = await p.request("POST", `/bookings/${b.bookingId}/payments`, { key: operator.key });
    expect(again).toMatchObject({
      status: 201,
      body: { provider: "manual", attempt_number: 2, round: 2, pay_url: attempt.pay_url },
    });
    expect((await p.request("POST", `/bookings/${b.bookingId}/payments`, { key: operator.key })).status).toBe(409);
  });

  it("refuses the same file twice as a proof of one payment (409), keeping one; another file is taken", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    const first = await upload(attempt.id, operator.key, PNG, "Screenshot of the transfer");
    expect(first.status).toBe(201);
    const again = await upload(attempt.id, managerA.key, PNG, "The same screenshot, sent again", "again.png");
    expect(again).toMatchObject({
      status: 409,
      body: {
        detail: `This file is a proof of payment ${attempt.id} already (proof ${first.body.id}); it is kept once.`,
      },
    });
    const proofs = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from payment_proofs where payment_id = ${attempt.id}`,
    );
    expect(proofs[0]!.n).toBe(1);
    expect((await upload(attempt.id, managerA.key, PDF, "The bank's PDF confirmation", "bank.pdf")).status).toBe(201);
  });

  it("refuses a move its table does not hold with PaymentMoveError, and writes nothing", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect((await decide(attempt.id, "reject", managerA.key, "No such transfer arrived")).status).toBe(200);
    const before = await p.rows(sql`select status, failure_reason, updated_at from payments where id = ${attempt.id}`);
    const audits = () =>
      p.rows<{ n: number }>(sql`select count(*)::int as n from audit_log where entity_id = ${attempt.id}`);
    const auditsBefore = (await audits())[0]!.n;

    const db = p.hub.db;
    const error = await db
      .transaction(async (tx) =>
        movePayment(tx, await lockPayment(tx, attempt.id), "awaiting_approval", {
          actorId: managerB.id,
          action: "payment.proof_received",
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentMoveError);
    expect(error).toMatchObject({ kind: "conflict", paymentId: attempt.id, from: "failed", to: "awaiting_approval" });
    expect(await p.rows(sql`select status, failure_reason, updated_at from payments where id = ${attempt.id}`)).toEqual(
      before,
    );
    expect((await audits())[0]!.n).toBe(auditsBefore);
  });

  it("refuses a manual paid written any other way: the database checks for the approval", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await expect(p.rows(sql`update payments set status = 'paid' where id = ${attempt.id}`)).rejects.toThrow();
    expect((await p.payments.list(b.bookingId))[0].status).toBe("open");
  });
});
