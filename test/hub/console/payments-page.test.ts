// The console's payments page without a browser: a PDF proof as a link, the proof's file served to a session, a
// rejection with its note, and what the page says when a form is wrong (no note, a payment decided already).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInByRequest, type ConsoleSession } from "../../support/console";
import { startHub, type PaymentTestHub } from "../../support/hub";

const PDF = Buffer.from("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

describe("the console's payments page", () => {
  let t: PaymentTestHub;
  let manager: { id: string; key: string };
  let console_: ConsoleSession;
  beforeAll(async () => {
    t = await startHub({ telegram: true, payments: { stripe: false, secondary: null } });
    manager = await t.createUser("manager");
    console_ = await signInByRequest(t.hub, (await t.createUser("manager")).key);
  });
  afterAll(() => t?.stop());

  const provedWithPdf = async () => {
    const booking = await t.payments.acceptedBooking();
    const [attempt] = await t.payments.attempts(booking.bookingId, 1);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(PDF)]), "bank statement.pdf");
    form.set("comment", "The bank's confirmation");
    const res = await t.hub.app.request(`/payments/${attempt.id}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${manager.key}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return { booking, attempt, proof: (await res.json()) as { id: string } };
  };
  const decide = (paymentId: string, decision: "approve" | "reject", note: string) =>
    console_.request("POST", `/console/payments/${paymentId}/${decision}`, {
      form: { _csrf: console_.csrf, note },
    });

  it("links a PDF proof, and serves its file to a session as a download", async () => {
    const { attempt, proof } = await provedWithPdf();
    const page = await (await console_.request("GET", "/console/payments")).text();
    const href = `/console/payments/${attempt.id}/proofs/${proof.id}`;
    expect(page).toContain(`<a href="${href}">Open bank statement.pdf (PDF, 1 KB)</a>`);
    expect(page).not.toContain(`<img src="${href}"`);
    const file = await console_.request("GET", href);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    expect(file.headers.get("content-disposition")).toBe('attachment; filename="bank_statement.pdf"');
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await console_.request("GET", `/console/payments/${attempt.id}/proofs/not-a-uuid`)).status).toBe(404);
  });

  it("rejects with a note, says why a form is refused, and refuses a decided payment (409)", async () => {
    const { booking, attempt } = await provedWithPdf();
    const empty = await decide(attempt.id, "reject", "   ");
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("note: must not be empty");

    const rejected = await decide(attempt.id, "reject", "No such transfer arrived");
    expect([rejected.status, rejected.headers.get("location")]).toEqual([303, "/console/payments"]);
    const flashed = await console_.request("GET", "/console/payments", {
      headers: { Cookie: `${console_.cookie}; ${rejected.headers.getSetCookie()[0]!.split(";")[0]}` },
    });
    expect(await flashed.text()).toContain(`Payment for ${booking.reference} rejected`);
    expect((await t.request("GET", `/payments/${attempt.id}`)).body).toMatchObject({
      status: "failed",
      failure_reason: "rejected: No such transfer arrived",
    });

    const again = await decide(attempt.id, "approve", "Changed my mind");
    expect(again.status).toBe(409);
    expect(await again.text()).toContain(`Payment ${attempt.id} is failed; it cannot be approved.`);
  });
});
