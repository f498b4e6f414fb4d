// Rule 6 end to end, through stripe-node and the Revolut client against their fakes: a failed event, an API error
// and a hanging API each move the deposit to the secondary; the secondary failing too moves it to manual. The one
// link the customer got before the switch lands on the live attempt after it.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL, payPath } from "../support/setup/payments";

describe("failover from Stripe to the secondary, then to manual", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    // 2 s: a fake answering within it on a loaded machine must not count as hanging; the hang test hangs longer.
    p = await startHub({ telegram: true, payments: {}, env: { PAYMENT_PROVIDER_TIMEOUT_MS: "2000" } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  const tasksOf = (inquiryId: string) =>
    p.rows<{ title: string }>(sql`select title from tasks where inquiry_id = ${inquiryId} order by created_at`);

  it("switches on Stripe's failed event: the session is closed first, attempt #2 goes to Revolut, the same link follows it", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.decline(first.provider_payment_id);
    expect(
      (await p.payments.webhook("stripe", p.payments.stripe!.webhook("failed", first.provider_payment_id))).body,
    ).toMatchObject({
      result: "processed",
      kind: "failed",
    });

    const [, second] = await p.payments.attempts(b.bookingId, 2);
    expect(second).toMatchObject({
      provider: "secondary",
      provider_name: "revolut",
      status: "open",
      attempt_number: 2,
      is_fallback: true,
      pay_url: first.pay_url,
    });
    const [closed] = await p.payments.list(b.bookingId);
    expect(closed).toMatchObject({
      status: "cancelled",
      failure_reason: expect.stringContaining("payment_intent.payment_failed"),
    });
    // Closed at Stripe before the switch, so the old page cannot take the money as well.
    expect(
      p.payments.stripe!.requests.some((r) => r.path === `/v1/checkout/sessions/${first.provider_payment_id}/expire`),
    ).toBe(true);

    // The link sent before the switch now lands on Revolut's checkout page.
    const pay = await p.hub.app.request(payPath(first.pay_url));
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(p.payments.revolut!.orders.get(second.provider_payment_id)!.checkout_url);
    expect((await tasksOf(b.inquiryId)).map((t) => t.title)).toContain(`Payment switched to backup: ${b.reference}`);
    const audit = await p.rows<{ after: { provider: string; attempt_number: number } }>(
      sql`select after from audit_log where entity_id = ${b.bookingId} and action = 'payment.switched'`,
    );
    expect(audit.map((a) => a.after)).toEqual([expect.objectContaining({ provider: "secondary", attempt_number: 2 })]);
    await expect
      .poll(() => p.telegram.textsIn(b.chat).join("\n"), POLL)
      .toContain(`moved it to our backup provider. The same link works: ${first.pay_url}`);

    // Revolut's webhook confirms it (the client fetches the order again before acting).
    await p.payments.revolut!.pay(second.provider_payment_id);
    expect(
      (await p.payments.webhook("secondary", p.payments.revolut!.webhook("paid", second.provider_payment_id))).body,
    ).toMatchObject({
      result: "processed",
      kind: "paid",
    });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
  });

  it("switches when Stripe answers an API error", async () => {
    p.payments.stripe!.failNext(500, (method, path) => method === "POST" && path === "/v1/checkout/sessions");
    const b = await p.payments.acceptedBooking();
    const [first, second] = await p.payments.attempts(b.bookingId, 2);
    expect(first).toMatchObject({
      provider: "stripe",
      status: "failed",
      provider_payment_id: null,
      failure_reason: expect.stringContaining("500"),
    });
    expect(second).toMatchObject({ provider: "secondary", status: "open", is_fallback: true });
  });

  it("switches when Stripe does not answer within PAYMENT_PROVIDER_TIMEOUT_MS", async () => {
    p.payments.stripe!.hang(3000);
    try {
      const b = await p.payments.acceptedBooking();
      const [first, second] = await p.payments.attempts(b.bookingId, 2);
      expect(first).toMatchObject({
        provider: "stripe",
        status: "failed",
        failure_reason: expect.stringContaining("did not answer create within 2000 ms"),
      });
      expect(second).toMatchObject({ provider: "secondary", status: "open" });
    } finally {
      p.payments.stripe!.hang(0);
      // The create the hub gave up on is still held: let it be answered before the next test injects a failure.
      await p.payments.stripe!.quiet();
    }
  });

  it("goes to manual when the secondary fails too: the customer gets the instructions, staff the task", async () => {
    // The create call only: the test before leaves Stripe calls of its own on their way (closing a timed-out attempt).
    p.payments.stripe!.failNext(500, (method, path) => method === "POST" && path === "/v1/checkout/sessions");
    const b = await p.payments.acceptedBooking(4000);
    const [, second] = await p.payments.attempts(b.bookingId, 2);
    await p.payments.revolut!.decline(second.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.revolut!.webhook("failed", second.provider_payment_id));
    const [, closed, third] = await p.payments.attempts(b.bookingId, 3);
    expect(closed.status).toMatch(/^(failed|cancelled)$/);
    expect(third).toMatchObject({
      provider: "manual",
      provider_name: "manual",
      status: "open",
      attempt_number: 3,
      is_fallback: true,
      amount: 4000,
    });
    expect((await tasksOf(b.inquiryId)).map((t) => t.title)).toContain(`Manual payment required: ${b.reference}`);
    await expect
      .poll(() => p.telegram.textsIn(b.chat).join("\n"), POLL)
      .toContain(`Online payment is not available for ${b.reference} right now. Please pay £40.00 by bank transfer`);
    const page = await p.hub.app.request(payPath(third.pay_url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`with the reference ${b.reference}`);
  });

  it("keeps an expired page's status as expired when it switches", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    // Stripe closed the page on its own (expires_at): the hub hears checkout.session.expired.
    await p.hub.payments.deps.providers.stripe!.cancel(first.provider_payment_id);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("expired", first.provider_payment_id));
    const [expired, second] = await p.payments.attempts(b.bookingId, 2);
    expect(expired).toMatchObject({
      status: "expired",
      failure_reason: expect.stringContaining("checkout.session.expired"),
    });
    expect(second).toMatchObject({ provider: "secondary", status: "open" });
  });

  it("closes the live attempt at its provider when the booking is cancelled", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    expect(
      (
        await p.request("POST", `/bookings/${b.bookingId}/cancel`, {
          body: { reason: "the customer called to cancel" },
        })
      ).status,
    ).toBe(200);
    await expect.poll(async () => (await p.payments.list(b.bookingId))[0].status, POLL).toBe("cancelled");
    await expect
      .poll(
        () =>
          p.payments.stripe!.requests.some(
            (r) => r.path === `/v1/checkout/sessions/${first.provider_payment_id}/expire`,
          ),
        POLL,
      )
      .toBe(true);
    const page = await p.hub.app.request(payPath(first.pay_url));
    expect(page.status).toBe(410);
    expect(await p.payments.list(b.bookingId)).toHaveLength(1);
  });
});
