// Conversions and net revenue from real payments: a deposit paid at Stripe counts on its London date, and its refund
// (reported by Stripe's webhook) takes the money back through the payment.refunded event.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDate } from "../../../hub/core/time";
import { startHub, type PaymentTestHub } from "../../support/hub";
import { POLL } from "../../support/setup/payments";

describe("daily metrics from payments", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {} });
  });
  afterAll(async () => {
    await p?.stop();
  });

  const today = () => londonDate(new Date());
  const telegramToday = async () =>
    (await p.request("GET", `/reports/daily?from=${today()}&to=${today()}&source=telegram`)).body.items[0];

  it("counts the paid deposit as a conversion and revenue in pence, and its refund takes the revenue back", async () => {
    const b = await p.payments.acceptedBooking(2550);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const paid = await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", attempt.provider_payment_id));
    expect(paid.status).toBe(200);
    await expect
      .poll(telegramToday, POLL)
      .toMatchObject({ total_count: 1, converted_count: 1, conversion_rate: 1, revenue: 2550 });
    const csv = await p.request("GET", `/reports/daily?from=${today()}&to=${today()}&source=telegram`, {
      headers: { Accept: "text/csv" },
    });
    expect(csv.body).toContain(`${today()},telegram,1,1,1,25.50,0\r\n`);

    // Someone refunds it at Stripe, outside the hub.
    await p.hub.payments.deps.providers.stripe!.refund(attempt.provider_payment_id, 2550, "dashboard-refund");
    const refunded = await p.payments.webhook(
      "stripe",
      p.payments.stripe!.webhook("refunded", attempt.provider_payment_id),
    );
    expect(refunded.body).toMatchObject({ result: "processed", kind: "refunded" });
    // Net: the money came in and went back the same London day; the inquiry stays converted.
    await expect.poll(telegramToday, POLL).toMatchObject({ total_count: 1, converted_count: 1, revenue: 0 });
    const [row] = await p.rows<{ status: string; refunded_at: Date | null }>(
      sql`select status, refunded_at from payments where id = ${attempt.id}`,
    );
    expect(row!.status).toBe("refunded");
    expect(londonDate(new Date(row!.refunded_at!))).toBe(today());
    const events = await p.rows<{ payload: { payment_id: string; amount: number; type: string } }>(
      sql`select payload from outbox_events where type = 'payment.refunded'`,
    );
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ payment_id: attempt.id, amount: 2550, type: "deposit", refund_of: null }),
    ]);
  });
});
