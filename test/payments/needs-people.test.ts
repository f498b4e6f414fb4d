// paymentsNeedingPeople and approvalRefusal: what the console's payments page reads. Manual attempts waiting for a
// proof or an approval (gone once decided), a refund task when a proved transfer's booking is cancelled, and the
// four-eyes reason given before a manager tries to approve.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalRefusal, paymentsNeedingPeople } from "../../payments";
import { SENT_IT_YOURSELF } from "../../payments/manual/four-eyes";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);

describe("payments needing people", () => {
  let p: PaymentTestHub;
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: { stripe: false, secondary: null } });
    managerA = await p.createUser("manager");
    managerB = await p.createUser("manager");
  });
  afterAll(() => p?.stop());

  const upload = async (paymentId: string, key: string, comment: string) => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(PNG)]), "proof.png");
    form.set("comment", comment);
    const res = await p.hub.app.request(`/payments/${paymentId}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };
  const listed = async (paymentId: string) =>
    (await paymentsNeedingPeople(p.hub.db)).manual.find((m) => m.payment.id === paymentId);

  it("lists a manual attempt from open to awaiting approval, with its proofs, until a manager approves it", async () => {
    const b = await p.payments.acceptedBooking(4200);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(await listed(attempt.id)).toMatchObject({
      payment: { status: "open", provider: "manual" },
      bookingId: b.bookingId,
      bookingReference: b.reference,
      inquiryId: b.inquiryId,
      proofs: [],
    });

    const proof = await upload(attempt.id, managerA.key, "Screenshot of the transfer");
    const waiting = await listed(attempt.id);
    expect(waiting?.payment.status).toBe("awaiting_approval");
    expect(waiting?.proofs).toEqual([
      expect.objectContaining({ id: proof.id, contentType: "image/png", uploadedBy: managerA.id }),
    ]);
    expect(waiting?.proofs[0]).not.toHaveProperty("content");

    expect(await approvalRefusal(p.hub.db, attempt.id, managerA.id)).toBe(SENT_IT_YOURSELF);
    expect(await approvalRefusal(p.hub.db, attempt.id, managerB.id)).toBeUndefined();

    const approved = await p.request("POST", `/payments/${attempt.id}/approve`, {
      key: managerB.key,
      body: { note: "In the bank statement" },
    });
    expect(approved.status).toBe(200);
    expect(await listed(attempt.id)).toBeUndefined();
  });

  it("raises a refund task when a booking with a proved transfer is cancelled, and lists it", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await upload(attempt.id, managerA.key, "Customer's transfer");
    const cancelled = await p.request("POST", `/bookings/${b.bookingId}/cancel`, {
      key: managerA.key,
      body: { reason: "The customer cannot come" },
    });
    expect(cancelled.status).toBe(200);
    await expect
      .poll(
        async () => (await paymentsNeedingPeople(p.hub.db)).refundTasks.find((t) => t.paymentId === attempt.id),
        POLL,
      )
      .toMatchObject({
        title: `Duplicate payment: refund: ${b.reference}`,
        inquiryId: b.inquiryId,
        reason: expect.stringContaining("a proof of a bank transfer came in"),
      });
    expect(await listed(attempt.id)).toBeUndefined();
  });
});
