// "No webhook within X minutes" (rule 6): the watchdog asks the provider before it acts. Paid after all: confirmed,
// not switched. Still open: closed at the provider, then switched. On both job drivers (the suite runs on each).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";

describe("the payment watchdog", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    // 0.02 minutes: 1.2 s without a webhook.
    p = await startHub({ telegram: true, payments: {}, env: { PAYMENT_WEBHOOK_TIMEOUT_MINUTES: "0.02" } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("switches an attempt whose webhook never came, after closing it at Stripe", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    const [closed, second] = await p.payments.attempts(b.bookingId, 2);
    expect(closed).toMatchObject({
      id: first.id,
      status: "cancelled",
      failure_reason: expect.stringMatching(/^no webhook from stripe within 0\.02 min \(it says open\)/),
    });
    expect(second).toMatchObject({ provider: "secondary", is_fallback: true });
    expect(
      p.payments.stripe!.requests.some((r) => r.path === `/v1/checkout/sessions/${first.provider_payment_id}/expire`),
    ).toBe(true);
  });

  it("confirms, without switching, an attempt paid at Stripe whose webhook was lost", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(first.provider_payment_id);
    await expect
      .poll(async () => (await p.payments.booking(b.bookingId)).status, { timeout: 15_000, interval: 100 })
      .toBe("confirmed");
    const attempts = await p.payments.list(b.bookingId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status: "paid" });
    const [paid] = await p.rows<{ after: unknown }>(
      sql`select after from audit_log where entity_id = ${first.id} and action = 'payment.paid'`,
    );
    expect(paid).toBeDefined();
    // No verified webhook came, and none is stored: the provider's own answer is the evidence.
    expect(await p.rows(sql`select 1 from payment_webhook_events where payment_id = ${first.id}`)).toEqual([]);
  });

  it("is disarmed by the webhook: a paid attempt keeps its single row", async () => {
    const b = await p.payments.acceptedBooking();
    const [first] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(first.provider_payment_id);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", first.provider_payment_id));
    // Past the watchdog's 1.2 s: a window in which it may not fire (no second attempt).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await p.payments.list(b.bookingId)).map((a) => a.status)).toEqual(["paid"]);
  });
});
