// Never paid twice: when Stripe hung, the hub switched to Revolut, and both then took the customer's money, the
// first success confirms the booking and the other is refunded through its own provider, in either order and when
// both arrive at once. A refund that fails raises "Duplicate payment: refund".
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

describe("a booking is never paid twice", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    // 2 s: a fake answering within it on a loaded machine must not count as hanging; bothOpen's hang is longer.
    p = await startHub({ telegram: true, payments: {}, env: { PAYMENT_PROVIDER_TIMEOUT_MS: "2000" } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** Stripe hangs past the timeout: the hub moves to Revolut, and Stripe makes its session late, unknown to the hub. */
  async function bothOpen() {
    p.payments.stripe!.hang(3000);
    const b = await p.payments.acceptedBooking();
    const [stripeAttempt, revolutAttempt] = await p.payments.attempts(b.bookingId, 2);
    await expect.poll(() => p.payments.stripe!.sessionOf(stripeAttempt.id) !== undefined, POLL).toBe(true);
    p.payments.stripe!.hang(0);
    const session = p.payments.stripe!.sessionOf(stripeAttempt.id)!;
    expect(stripeAttempt).toMatchObject({ status: "failed", provider_payment_id: null });
    expect(revolutAttempt).toMatchObject({ provider: "secondary", status: "open" });
    return { b, stripeAttempt, revolutAttempt, session };
  }
  const refundsOf = async (bookingId: string) => (await p.payments.list(bookingId)).filter((x) => x.type === "refund");

  it("refunds Stripe's late success after Revolut's", async () => {
    const { b, stripeAttempt, revolutAttempt, session } = await bothOpen();
    await p.payments.revolut!.pay(revolutAttempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.revolut!.webhook("paid", revolutAttempt.provider_payment_id));
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });

    await p.payments.stripe!.pay(session);
    // The hub never learnt this session's id: the webhook finds the attempt by the payment id in its metadata.
    expect((await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", session))).body).toMatchObject({
      result: "processed",
      kind: "paid",
    });
    await expect
      .poll(async () => (await p.payments.list(b.bookingId)).find((x) => x.id === stripeAttempt.id)?.status, POLL)
      .toBe("refunded");
    const [refund] = await refundsOf(b.bookingId);
    expect(refund).toMatchObject({ provider: "stripe", status: "refunded", amount: 2500 });
    const refundCall = p.payments.stripe!.requests.find((r) => r.path === "/v1/refunds")!;
    expect(refundCall.headers["idempotency-key"]).toBe(`refund-${stripeAttempt.id}`);
    expect(refundCall.body).toMatchObject({ amount: "2500" });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    const audits = await p.rows<{ action: string }>(
      sql`select action from audit_log where entity_id = ${stripeAttempt.id} and action = 'payment.refunded'`,
    );
    expect(audits).toHaveLength(1);
  });

  it("lets Stripe's late success win when it comes first, and closes Revolut's order so it cannot take the money too", async () => {
    const { b, stripeAttempt, revolutAttempt, session } = await bothOpen();
    await p.payments.stripe!.pay(session);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", session));
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    const attempts = await p.payments.list(b.bookingId);
    expect(attempts.find((x) => x.id === stripeAttempt.id)).toMatchObject({
      status: "paid",
      provider_payment_id: session,
    });
    expect(attempts.find((x) => x.id === revolutAttempt.id)).toMatchObject({
      status: "cancelled",
      failure_reason: "superseded: attempt #1 was paid",
    });
    await expect
      .poll(() => p.payments.revolut!.orders.get(revolutAttempt.provider_payment_id)!.state, POLL)
      .toBe("cancelled");
  });

  it("confirms once and refunds once when both successes arrive together", async () => {
    const { b, stripeAttempt, revolutAttempt, session } = await bothOpen();
    await Promise.all([p.payments.stripe!.pay(session), p.payments.revolut!.pay(revolutAttempt.provider_payment_id)]);
    const [fromStripe, fromRevolut] = await Promise.all([
      p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", session)),
      p.payments.webhook("secondary", p.payments.revolut!.webhook("paid", revolutAttempt.provider_payment_id)),
    ]);
    expect([fromStripe.status, fromRevolut.status]).toEqual([200, 200]);
    await expect.poll(async () => (await refundsOf(b.bookingId)).length, POLL).toBe(1);
    const attempts = (await p.payments.list(b.bookingId)).filter((x) => x.type !== "refund");
    const statuses = attempts
      .filter((x) => x.id === stripeAttempt.id || x.id === revolutAttempt.id)
      .map((x) => x.status)
      .sort();
    expect(statuses).toEqual(["paid", "refunded"]);
    const confirmations = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${b.bookingId} and action = 'booking.confirmed'`,
    );
    expect(confirmations[0]!.n).toBe(1);
  });

  it("raises 'Duplicate payment: refund' when the refund fails", async () => {
    const { b, stripeAttempt, revolutAttempt, session } = await bothOpen();
    await p.payments.revolut!.pay(revolutAttempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.revolut!.webhook("paid", revolutAttempt.provider_payment_id));
    await p.payments.stripe!.pay(session);
    p.payments.stripe!.failNext(500);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", session));
    await expect
      .poll(
        async () =>
          (await p.rows<{ title: string }>(sql`select title from tasks where inquiry_id = ${b.inquiryId}`)).map(
            (t) => t.title,
          ),
        POLL,
      )
      .toContain(`Duplicate payment: refund: ${b.reference}`);
    expect((await p.payments.list(b.bookingId)).find((x) => x.id === stripeAttempt.id)).toMatchObject({
      status: "paid",
    });
    expect(await refundsOf(b.bookingId)).toEqual([]);
    const [failure] = await p.rows<{ after: { reason: string } }>(
      sql`select after from audit_log where entity_id = ${stripeAttempt.id} and action = 'payment.refund_failed'`,
    );
    expect(failure!.after.reason).toContain("500");
  });

  it("asks a person to return a bank transfer whose proof came in before a late online success", async () => {
    const { b, revolutAttempt, session } = await bothOpen();
    await p.payments.revolut!.decline(revolutAttempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.revolut!.webhook("failed", revolutAttempt.provider_payment_id));
    const [, , manual] = await p.payments.attempts(b.bookingId, 3);
    expect(manual.provider).toBe("manual");
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.4 transfer"))]), "transfer.pdf");
    form.set("comment", "The customer's bank confirmation");
    expect(
      (
        await p.hub.app.request(`/payments/${manual.id}/proofs`, {
          method: "POST",
          headers: { Authorization: `Bearer ${p.adminKey}` },
          body: form,
        })
      ).status,
    ).toBe(201);

    await p.payments.stripe!.pay(session);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", session));
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    expect((await p.payments.list(b.bookingId)).find((x) => x.id === manual.id)).toMatchObject({ status: "cancelled" });
    const tasks = await p.rows<{ title: string; payload: { reason: string } }>(
      sql`select title, payload from tasks where inquiry_id = ${b.inquiryId} and type = 'payment.duplicate_refund'`,
    );
    expect(tasks).toEqual([
      {
        title: `Duplicate payment: refund: ${b.reference}`,
        payload: expect.objectContaining({
          payment_id: manual.id,
          reason: "a proof of a bank transfer came in, then attempt #1 was paid",
        }),
      },
    ]);
  });
});
