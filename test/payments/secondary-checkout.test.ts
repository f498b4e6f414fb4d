// The secondary slot filled by Checkout.com (checkout-sdk-node against its fake), with Stripe not configured: the
// first attempt goes straight to the secondary. A partner lead's paid deposit records its commission and tells the
// partner, signed.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakePartnerReceiver } from "../support/fakes/partner-receiver";
import { startHub, type PaymentTestHub, type TestHub } from "../support/hub";
import { POLL, payPath } from "../support/setup/payments";

describe("Checkout.com as the secondary, with no Stripe", () => {
  let p: PaymentTestHub & TestHub<{ partner: true }>;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: { stripe: false, secondary: "checkout" }, partner: true });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("starts at the secondary when Stripe is not configured, and its verified webhook confirms the booking", async () => {
    const b = await p.payments.acceptedBooking(1999);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(attempt).toMatchObject({
      provider: "secondary",
      provider_name: "checkout",
      status: "open",
      attempt_number: 1,
      is_fallback: false,
      amount: 1999,
    });
    const pay = await p.hub.app.request(payPath(attempt.pay_url));
    expect(pay.status).toBe(303);

    await p.payments.checkout!.pay(attempt.provider_payment_id);
    const forged = p.payments.checkout!.forgedWebhook("paid", attempt.provider_payment_id);
    expect((await p.payments.webhook("secondary", forged)).status).toBe(400);
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "awaiting_deposit" });
    expect(
      (await p.payments.webhook("secondary", p.payments.checkout!.webhook("paid", attempt.provider_payment_id))).body,
    ).toMatchObject({ result: "processed", kind: "paid" });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    // Stripe's webhook route answers 404 where Stripe is not configured.
    expect((await p.payments.webhook("stripe", { body: "{}", headers: {} })).status).toBe(404);
  });

  it("fails over from Checkout.com to manual on a declined payment", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.checkout!.decline(attempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.checkout!.webhook("failed", attempt.provider_payment_id));
    const [closed, manual] = await p.payments.attempts(b.bookingId, 2);
    // A payment link cannot be closed early: it is left to expire, and a late success is refunded.
    expect(closed).toMatchObject({
      status: "failed",
      failure_reason: expect.stringContaining("its page runs until it expires"),
    });
    expect(manual).toMatchObject({ provider: "manual", is_fallback: true, attempt_number: 2 });
  });

  it("records a partner lead's commission on the paid deposit and tells the partner, signed", async () => {
    const partner = await p.createPartner({ commission_percent: 12.5 });
    await p.request("PATCH", `/partners/${partner.code}`, { body: { webhook_url: p.partner.url } });
    const lead = (
      await p.request("POST", "/inquiries", {
        body: { source: "partner", partner_code: partner.code, client: { email: "agency@example.com" }, party_size: 2 },
      })
    ).body;
    const resource = (await p.request("POST", "/resources", { body: { name: "Partner Room", capacity: 4 } })).body;
    const held = (
      await p.request("POST", "/bookings", {
        body: {
          inquiry_id: lead.id,
          resource_id: resource.id,
          start_at: "2027-03-12T19:00",
          duration_minutes: 90,
          deposit_amount: 3333,
        },
      })
    ).body;
    await p.request("POST", `/bookings/${held.id}/accept`);
    const [attempt] = await p.payments.attempts(held.id, 1);
    await p.payments.checkout!.pay(attempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.checkout!.webhook("paid", attempt.provider_payment_id));

    // 12.5% of £33.33 is 416.625 pence: 417, rounded half up.
    await expect
      .poll(
        async () =>
          p.rows<{ amount: number; percent: string }>(
            sql`select amount, percent::text from partner_commissions where payment_id = ${attempt.id}`,
          ),
        POLL,
      )
      .toEqual([{ amount: 417, percent: "12.50" }]);
    await expect
      .poll(() => p.partner.received.some((r) => JSON.parse(r.body).type === "inquiry.paid"), POLL)
      .toBe(true);
    const paid = FakePartnerReceiver.verify(
      String(partner.signing_secret),
      p.partner.received.find((r) => JSON.parse(r.body).type === "inquiry.paid")!,
    );
    expect(paid.data).toMatchObject({
      reference: lead.reference,
      status: "paid",
      booking: { reference: held.reference },
      payment: { id: attempt.id, amount: 3333, currency: "GBP", commission_amount: 417 },
    });
    const metrics = await p.rows<{ converted_count: number }>(
      sql`select converted_count from inquiry_metrics_daily where source = 'partner'`,
    );
    expect(metrics[0]!.converted_count).toBe(1);
    // A lead without a chat gets no message: the payment view (and its booking page, once proposed) carries the link.
    const page = await p.request("GET", `/bookings/${held.id}/payments`);
    expect(page.body.items[0].pay_url).toBe(attempt.pay_url);
  });
});
