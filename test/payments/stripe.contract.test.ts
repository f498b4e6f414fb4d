// Stripe against its loopback fake: the provider contract, then what is particular to Checkout Sessions and to
// Stripe's webhook signatures.
import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import {
  PaymentProviderError,
  WebhookEventError,
  WebhookSignatureError,
  type CreateLinkInput,
  type PaymentProviderAdapter,
} from "../../payments/provider";
import { stripeProvider } from "../../payments/stripe";
import { runPaymentProviderContract } from "../support/payments/contract";
import { startFakeStripe, stripeEvent, type FakeStripe } from "../support/fakes/stripe";

const secretKey = "sk_test_fake_hub";
const webhookSecret = "whsec_fake_hub";

const providerFor = (fake: FakeStripe, timeoutMs = 5_000): PaymentProviderAdapter =>
  stripeProvider({
    secretKey,
    webhookSecret,
    apiUrl: fake.url,
    timeoutMs,
    returnUrl: "https://hub.example.test/pay/tok_123",
  });

const input = (overrides: Partial<CreateLinkInput> = {}): CreateLinkInput => {
  const paymentId = randomUUID();
  return {
    paymentId,
    bookingId: randomUUID(),
    amount: 2599,
    currency: "GBP",
    description: "Deposit for BKG-7",
    expiresAt: new Date(Date.now() + 2 * 3600_000),
    idempotencyKey: `payment-${paymentId}`,
    ...overrides,
  };
};

runPaymentProviderContract("stripe", async () => {
  const fake = await startFakeStripe({ secretKey, webhookSecret });
  return { provider: providerFor(fake), fake, close: () => fake.close() };
});

describe("Stripe provider", () => {
  let fake: FakeStripe;
  let provider: PaymentProviderAdapter;
  beforeAll(async () => {
    fake = await startFakeStripe({ secretKey, webhookSecret });
    provider = providerFor(fake);
  });
  afterAll(() => fake?.close());

  it("creates one payment-mode Checkout Session carrying the hub's ids, in lower-case currency and minor units", async () => {
    const link = input({ amount: 2599, expiresAt: new Date(Date.now() + 5 * 60_000) });
    const created = await provider.createLink(link);
    const request = fake.requests.find(
      (r) =>
        r.method === "POST" &&
        r.path === "/v1/checkout/sessions" &&
        (r.body.metadata as { payment_id?: string } | undefined)?.payment_id === link.paymentId,
    );
    expect(created.providerPaymentId).toMatch(/^cs_test_/);
    expect(request?.body).toMatchObject({
      mode: "payment",
      client_reference_id: link.paymentId,
      metadata: { payment_id: link.paymentId, booking_id: link.bookingId },
      payment_intent_data: { metadata: { payment_id: link.paymentId, booking_id: link.bookingId } },
      line_items: [
        {
          quantity: "1",
          price_data: { currency: "gbp", unit_amount: "2599", product_data: { name: "Deposit for BKG-7" } },
        },
      ],
      success_url: "https://hub.example.test/pay/tok_123",
      cancel_url: "https://hub.example.test/pay/tok_123",
    });
    expect(request?.headers["idempotency-key"]).toBe(link.idempotencyKey);
    // Asked for 5 minutes; Stripe takes nothing under 30.
    const expiresAt = Number(request?.body.expires_at);
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 60);
    expect(created.expiresAt.getTime()).toBe(expiresAt * 1000);
  });

  it("caps a far expiry at Stripe's 24 hours", async () => {
    const created = await provider.createLink(input({ expiresAt: new Date(Date.now() + 7 * 24 * 3600_000) }));
    expect(created.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
  });

  it("sends an Idempotency-Key with every POST: create, expire and refund", async () => {
    const open = await provider.createLink(input());
    expect(await provider.cancel(open.providerPaymentId)).toBe("cancelled");
    const paid = await provider.createLink(input());
    await fake.pay(paid.providerPaymentId);
    await provider.refund(paid.providerPaymentId, 1000, `refund-${randomUUID()}`);
    const posts = fake.requests.filter((r) => r.method === "POST");
    expect(posts.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "/v1/checkout/sessions",
        `/v1/checkout/sessions/${open.providerPaymentId}/expire`,
        "/v1/refunds",
      ]),
    );
    expect(posts.filter((r) => !r.headers["idempotency-key"])).toEqual([]);
    expect(posts.find((r) => r.path.endsWith("/expire"))?.headers["idempotency-key"]).toBe(
      `expire-${open.providerPaymentId}`,
    );
    // A partial refund leaves the attempt paid.
    expect(await provider.status(paid.providerPaymentId)).toBe("paid");
  });

  it("maps payment_intent.payment_failed to failed, naming the attempt by the intent's metadata", async () => {
    const link = input();
    const created = await provider.createLink(link);
    await fake.decline(created.providerPaymentId);
    const { body, headers } = fake.webhook("failed", created.providerPaymentId);
    expect(await provider.verifyWebhook(body, headers)).toMatchObject({
      kind: "failed",
      type: "payment_intent.payment_failed",
      providerPaymentId: null,
      paymentId: link.paymentId,
    });
    // A declined card leaves the page open for another try.
    expect(await provider.status(created.providerPaymentId)).toBe("open");
  });

  it("ignores checkout.session.completed while a delayed payment is unpaid, and acts on its async outcome", async () => {
    const link = input();
    const session = {
      id: "cs_test_async",
      object: "checkout.session",
      status: "complete",
      payment_status: "unpaid",
      metadata: { payment_id: link.paymentId },
    };
    const completed = fake.signed(stripeEvent("checkout.session.completed", session));
    expect(await provider.verifyWebhook(completed.body, completed.headers)).toMatchObject({
      kind: "ignored",
      providerPaymentId: "cs_test_async",
    });
    const succeeded = fake.signed(
      stripeEvent("checkout.session.async_payment_succeeded", { ...session, payment_status: "paid" }),
    );
    expect(await provider.verifyWebhook(succeeded.body, succeeded.headers)).toMatchObject({
      kind: "paid",
      providerPaymentId: "cs_test_async",
      paymentId: link.paymentId,
    });
    const failed = fake.signed(stripeEvent("checkout.session.async_payment_failed", session));
    expect(await provider.verifyWebhook(failed.body, failed.headers)).toMatchObject({
      kind: "failed",
      providerPaymentId: "cs_test_async",
    });
  });

  it("verifies a signature made by hand the way Stripe's documentation describes it", async () => {
    const created = await provider.createLink(input());
    await fake.pay(created.providerPaymentId);
    const body = fake.webhook("paid", created.providerPaymentId).body;
    const timestamp = Math.floor(Date.now() / 1000);
    const v1 = createHmac("sha256", webhookSecret).update(`${timestamp}.${body}`).digest("hex");
    const event = await provider.verifyWebhook(body, { "stripe-signature": `t=${timestamp},v1=${v1}` });
    expect(event).toMatchObject({
      kind: "paid",
      providerPaymentId: created.providerPaymentId,
      type: "checkout.session.completed",
    });
  });

  it("times the signature against the hub's clock, refusing one stamped more than 5 minutes ahead of it as well as behind", async () => {
    const hubNow = Date.parse("2030-06-01T12:00:00Z");
    const onHubClock = stripeProvider({
      secretKey,
      webhookSecret,
      apiUrl: fake.url,
      timeoutMs: 5_000,
      returnUrl: "https://hub.example.test/pay/x",
      now: () => new Date(hubNow),
    });
    const event = stripeEvent("customer.created", { id: "cus_clock", object: "customer" });
    const at = (offsetSeconds: number) => fake.signed(event, { timestamp: Math.floor(hubNow / 1000) + offsetSeconds });
    const verdict = (delivery: { body: string; headers: Record<string, string | undefined> }) =>
      onHubClock.verifyWebhook(delivery.body, delivery.headers).then(
        () => "taken",
        (error: unknown) =>
          error instanceof WebhookSignatureError ? `refused: ${error.message}` : `other: ${String(error)}`,
      );
    expect({
      now: await verdict(at(0)),
      fourMinutesAhead: await verdict(at(4 * 60)),
      fourMinutesBehind: await verdict(at(-4 * 60)),
      sixMinutesAhead: await verdict(at(6 * 60)),
      sixMinutesBehind: await verdict(at(-6 * 60)),
      // Years before the hub's clock: stale there, whatever the machine's own clock says.
      theMachinesNow: await verdict(fake.signed(event)),
    }).toEqual({
      now: "taken",
      fourMinutesAhead: "taken",
      fourMinutesBehind: "taken",
      sixMinutesAhead:
        "refused: Stripe webhook signature refused: its timestamp is 360 s in the future, beyond the 300 s tolerance (is the hub's clock right?)",
      sixMinutesBehind: "refused: Stripe webhook signature refused: Timestamp outside the tolerance zone",
      theMachinesNow: "refused: Stripe webhook signature refused: Timestamp outside the tolerance zone",
    });
  });

  it("tells an unreadable signed body (not JSON, null, data null) from a bad signature", async () => {
    const sign = (body: string) => ({
      body,
      headers: {
        "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: webhookSecret }),
      },
    });
    for (const body of [
      "not JSON",
      "null",
      "[]",
      JSON.stringify({ ...stripeEvent("checkout.session.completed", {}), data: null }),
    ]) {
      const { headers } = sign(body);
      await expect(provider.verifyWebhook(body, headers), body).rejects.toBeInstanceOf(WebhookEventError);
    }
  });

  it("is refused with the Stripe status for a wrong API key", async () => {
    const wrong = stripeProvider({
      secretKey: "sk_test_wrong",
      webhookSecret,
      apiUrl: fake.url,
      timeoutMs: 5_000,
      returnUrl: "https://hub.example.test/pay/x",
    });
    const error = await wrong.createLink(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).status).toBe(401);
    expect((error as PaymentProviderError).kind).toBe("refused");
  });
});

describe("Stripe provider when Stripe does not answer", () => {
  it("gives up after timeoutMs with a PaymentProviderError without a status", async () => {
    const fake = await startFakeStripe({ secretKey, webhookSecret });
    try {
      fake.hang(5_000);
      const started = Date.now();
      const error = await providerFor(fake, 300)
        .createLink(input())
        .catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(PaymentProviderError);
      expect((error as PaymentProviderError).status).toBeUndefined();
      expect((error as PaymentProviderError).kind).toBe("timeout");
    } finally {
      await fake.close();
    }
  });

  it("turns a refused connection into a PaymentProviderError without a status", async () => {
    const fake = await startFakeStripe({ secretKey, webhookSecret });
    await fake.close();
    const error = await providerFor(fake)
      .status("cs_test_gone")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).status).toBeUndefined();
    expect((error as PaymentProviderError).kind).toBe("unreachable");
  });
});
