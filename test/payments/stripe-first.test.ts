// The happy path and the webhook's guard: an accepted booking's deposit goes to Stripe first, the customer's one link
// leads to the checkout page, and a verified webhook confirms the booking. A forged or replayed one changes nothing.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL, payPath } from "../support/setup/payments";

describe("a deposit paid at Stripe", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {} });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("opens attempt #1 at Stripe, sends the link in the chat, and confirms the booking on the verified webhook", async () => {
    const b = await p.payments.acceptedBooking(2550);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(attempt).toMatchObject({
      provider: "stripe",
      provider_name: "stripe",
      status: "open",
      amount: 2550,
      currency: "GBP",
      attempt_number: 1,
      is_fallback: false,
      type: "deposit",
    });
    expect(attempt.provider_payment_id).toMatch(/^cs_test_/);
    expect(attempt.pay_url).toMatch(/\/pay\/[A-Za-z0-9_-]{43}$/);

    // Stripe was asked for one session with the booking's ids in its metadata, and an idempotency key.
    const create = p.payments.stripe!.requests.find((r) => r.method === "POST" && r.path === "/v1/checkout/sessions")!;
    expect(create.body).toMatchObject({
      mode: "payment",
      client_reference_id: attempt.id,
      metadata: { payment_id: attempt.id, booking_id: b.bookingId },
    });
    expect(create.headers["idempotency-key"]).toBe(`payment-${attempt.id}`);

    // The customer's one link leads to the live checkout page.
    const pay = await p.hub.app.request(payPath(attempt.pay_url));
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`https://checkout.stripe.test/c/pay/${attempt.provider_payment_id}`);

    // In the chat: the amount in pounds, the expiry in London time, a URL button.
    const linkMessage = () =>
      p.telegram.sent.find((m) => m.chat_id === String(b.chat) && m.text.startsWith(`To secure ${b.reference}`));
    await expect.poll(() => linkMessage() !== undefined, POLL).toBe(true);
    expect(linkMessage()!.text).toMatch(
      new RegExp(
        `pay the deposit of £25\\.50 here: ${attempt.pay_url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\nPlease pay by .* (GMT|BST) \\(London time\\)\\.$`,
      ),
    );
    expect(linkMessage()!.reply_markup).toEqual({ inline_keyboard: [[{ text: "Pay £25.50", url: attempt.pay_url }]] });

    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const delivery = p.payments.stripe!.webhook("paid", attempt.provider_payment_id);
    expect(await p.payments.webhook("stripe", delivery)).toMatchObject({
      status: 200,
      body: { received: true, result: "processed", kind: "paid" },
    });

    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
    expect((await p.payments.list(b.bookingId))[0]).toMatchObject({ status: "paid" });
    expect((await p.request("GET", `/inquiries/${b.inquiryId}`)).body.status).toBe("booked");
    await expect
      .poll(() => p.telegram.textsIn(b.chat).join("\n"), POLL)
      .toContain(`Thank you: we have received your deposit of £25.50. ${b.reference} is confirmed`);
    const paidPage = await p.hub.app.request(payPath(attempt.pay_url));
    expect(paidPage.status).toBe(200);
    expect(await paidPage.text()).toContain(`The deposit for ${b.reference} is paid.`);

    // The day's conversions and revenue for the source, on the London date of the payment.
    await expect
      .poll(
        async () =>
          (
            await p.rows<{ converted_count: number; revenue: string }>(
              sql`select converted_count, revenue::text from inquiry_metrics_daily where source = 'telegram'`,
            )
          )[0],
        POLL,
      )
      .toMatchObject({ converted_count: 1, revenue: "2550" });

    // A replay of the same delivery changes nothing; the audit log has one payment.paid.
    expect(await p.payments.webhook("stripe", delivery)).toMatchObject({ status: 200, body: { result: "duplicate" } });
    const paidAudits = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${attempt.id} and action = 'payment.paid'`,
    );
    expect(paidAudits[0]!.n).toBe(1);
  });

  it("refuses a forged, a tampered and a stale webhook with 400 and stores nothing", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const before = await p.rows<{ n: number }>(sql`select count(*)::int as n from payment_webhook_events`);
    const good = p.payments.stripe!.webhook("paid", attempt.provider_payment_id);
    for (const bad of [
      p.payments.stripe!.forgedWebhook("paid", attempt.provider_payment_id),
      p.payments.stripe!.staleWebhook!("paid", attempt.provider_payment_id),
      { body: good.body.replace('"paid"', '"unpaid"'), headers: good.headers },
      { body: good.body, headers: {} },
    ]) {
      const res = await p.payments.webhook("stripe", bad);
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/signature/);
    }
    expect(await p.rows<{ n: number }>(sql`select count(*)::int as n from payment_webhook_events`)).toEqual(before);
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "awaiting_deposit" });
    const health = await p.request("GET", "/health");
    expect(health.body.payments.stripe).toMatchObject({ configured: true, name: "stripe", rejected_signatures: 4 });
    expect(health.body.payments.secondary).toMatchObject({ configured: true, name: "revolut" });
  });

  it("answers 200 and ignores a verified event about a session the hub does not know", async () => {
    const res = await p.payments.webhook("stripe", p.payments.stripe!.unrelatedWebhook());
    expect(res).toMatchObject({ status: 200, body: { result: "unknown", kind: "ignored" } });
  });

  it("shows the same payment link on the booking page of a lead without a chat, once accepted", async () => {
    const lead = (
      await p.request("POST", "/inquiries", {
        body: { source: "web_form", client: { email: "web@example.com" }, message: "Dinner for two" },
      })
    ).body;
    const resource = (await p.request("POST", "/resources", { body: { name: "Web Room", capacity: 4 } })).body;
    const held = (
      await p.request("POST", "/bookings", {
        body: {
          inquiry_id: lead.id,
          resource_id: resource.id,
          start_at: "2027-03-19T19:00",
          duration_minutes: 120,
          deposit_amount: 2000,
        },
      })
    ).body;
    const proposal = (await p.request("POST", `/bookings/${held.id}/propose`)).body;
    const bookingPage = new URL(proposal.booking_url).pathname;
    await p.hub.app.request(bookingPage, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "action=accept",
    });
    const [attempt] = await p.payments.attempts(held.id, 1);
    const html = await (await p.hub.app.request(bookingPage)).text();
    expect(html).toContain(`<a href="${payPath(attempt.pay_url)}">Pay the deposit</a>`);
    const pay = await p.hub.app.request(payPath(attempt.pay_url));
    expect(pay.headers.get("location")).toBe(`https://checkout.stripe.test/c/pay/${attempt.provider_payment_id}`);
    expect((await p.hub.app.request(`/pay/${"x".repeat(43)}`)).status).toBe(404);
  });

  it("marks a deposit refunded in Stripe's dashboard as refunded, and asks a person whether the booking stands", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    await p.payments.webhook("stripe", p.payments.stripe!.webhook("paid", attempt.provider_payment_id));
    // Someone refunds it at Stripe, outside the hub.
    await p.hub.payments.deps.providers.stripe!.refund(attempt.provider_payment_id, 2500, "dashboard-refund");
    expect(
      (await p.payments.webhook("stripe", p.payments.stripe!.webhook("refunded", attempt.provider_payment_id))).body,
    ).toMatchObject({
      result: "processed",
      kind: "refunded",
    });
    expect((await p.payments.list(b.bookingId))[0]).toMatchObject({ status: "refunded" });
    const tasks = await p.rows<{ title: string }>(
      sql`select title from tasks where inquiry_id = ${b.inquiryId} and type = 'payment.refunded_at_provider'`,
    );
    expect(tasks).toEqual([{ title: `Deposit refunded at the provider: ${b.reference}` }]);
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "confirmed" });
  });
});
