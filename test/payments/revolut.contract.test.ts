// The Revolut Merchant API adapter: the shared provider contract against the loopback fake, then what is Revolut's
// own (its signature scheme, secret rotation, events out of order, the version header, timeouts).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentProviderError, WebhookSignatureError, type CreateLinkInput } from "../../payments/provider";
import { revolutProvider, revolutSignature, verifyRevolutSignature } from "../../payments/secondary/revolut";
import { runPaymentProviderContract } from "../support/payments/contract";
import { randomRevolutSecret, signRevolutWebhook, startFakeRevolut, type FakeRevolut } from "../support/fakes/revolut";

const API_KEY = "sk_fake_revolut_secret_key_0123456789";
const SECRET = "wsk_FakeRevolutSigningSecret0123";
const API_VERSION = "2024-09-01";

const settings = (fake: FakeRevolut, overrides: Partial<Parameters<typeof revolutProvider>[0]> = {}) => ({
  apiKey: API_KEY,
  webhookSecrets: [SECRET],
  apiUrl: fake.url,
  apiVersion: API_VERSION,
  timeoutMs: 5_000,
  ...overrides,
});

runPaymentProviderContract("revolut", async () => {
  const fake = await startFakeRevolut({ apiKey: API_KEY, webhookSecret: SECRET });
  return { provider: revolutProvider(settings(fake)), fake, close: () => fake.close() };
});

const input = (overrides: Partial<CreateLinkInput> = {}): CreateLinkInput => {
  const paymentId = randomUUID();
  return {
    paymentId,
    bookingId: randomUUID(),
    amount: 4200,
    currency: "GBP",
    description: "Deposit for BKG-42",
    expiresAt: new Date(Date.now() + 90 * 60_000),
    idempotencyKey: `payment-${paymentId}`,
    ...overrides,
  };
};

describe("Revolut's webhook signature", () => {
  // Verbatim from Revolut's reference Python snippet ("Compute the expected signature"):
  // https://developer.revolut.com/docs/guides/manage-accounts/webhooks/verify-the-payload-signature
  // The page gives the secret, timestamp and raw payload and prints the signature rather than stating it; the
  // expected value below is what that snippet prints (independent implementations in public repositories pin the
  // same value).
  const docs = {
    secret: "wsk_r59a4HfWVAKycbCaNO1RvgCJec02gRd8",
    timestamp: "1683650202360",
    body: '{"data":{"id":"645a7696-22f3-aa47-9c74-cbae0449cc46","new_state":"completed","old_state":"pending","request_id":"app_charges-9f5d5eb3-1e06-46c5-b1c0-3914763e0bcb"},"event":"TransactionStateChanged","timestamp":"2023-05-09T16:36:38.028960Z"}',
    signature: "v1=bca326fb378d0da7f7c490ad584a8106bab9723d8d9cdd0d50b4c5b3be3837c0",
  };
  const check =
    (overrides: Partial<Parameters<typeof verifyRevolutSignature>[0]> = {}) =>
    () =>
      verifyRevolutSignature({
        rawBody: docs.body,
        timestamp: docs.timestamp,
        signatureHeader: docs.signature,
        secrets: [docs.secret],
        now: Number(docs.timestamp) + 1_000,
        ...overrides,
      });

  it("reproduces and verifies the documentation's worked example", () => {
    expect(revolutSignature(docs.secret, docs.timestamp, docs.body)).toBe(docs.signature);
    expect(check()).not.toThrow();
    expect(check({ rawBody: `${docs.body} ` })).toThrow(WebhookSignatureError);
    expect(check({ timestamp: String(Number(docs.timestamp) + 1) })).toThrow(WebhookSignatureError);
  });

  it("accepts both secrets during a rotation, and a header whose one v1 value of several matches", () => {
    const other = randomRevolutSecret();
    expect(check({ secrets: [other, docs.secret] })).not.toThrow();
    expect(check({ secrets: [docs.secret, other] })).not.toThrow();
    const junk = `v1=${"0".repeat(64)}`;
    expect(check({ signatureHeader: `${junk}, ${docs.signature}` })).not.toThrow();
    expect(check({ signatureHeader: `${docs.signature},${junk}` })).not.toThrow();
    expect(check({ signatureHeader: `v0=abc,${junk}` })).toThrow(/matches none/);
    expect(check({ secrets: [other] })).toThrow(WebhookSignatureError);
  });

  it("refuses a timestamp six minutes off either way, and accepts four", () => {
    const at = Number(docs.timestamp);
    expect(check({ now: at + 6 * 60_000 })).toThrow(/outside/);
    expect(check({ now: at - 6 * 60_000 })).toThrow(/outside/);
    expect(check({ now: at + 4 * 60_000 })).not.toThrow();
    expect(check({ now: at - 4 * 60_000 })).not.toThrow();
    expect(check({ timestamp: undefined })).toThrow(/Revolut-Request-Timestamp/);
    expect(check({ signatureHeader: undefined })).toThrow(/Revolut-Signature/);
  });
});

describe("Revolut adapter", () => {
  let fake: FakeRevolut;
  let provider: ReturnType<typeof revolutProvider>;
  beforeAll(async () => {
    fake = await startFakeRevolut({ apiKey: API_KEY, webhookSecret: SECRET });
    provider = revolutProvider(settings(fake));
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("creates an order in minor units, with the version header, reference, metadata and expiry", async () => {
    const attempt = input({ amount: 4250, expiresAt: new Date(Date.now() + 90 * 60_000 + 30_000) });
    const link = await provider.createLink(attempt);
    const create = fake.requests.find(
      (r) =>
        r.method === "POST" &&
        r.path === "/api/orders" &&
        JSON.parse(r.body).merchant_order_data?.reference === attempt.paymentId,
    );
    expect(create).toBeDefined();
    expect(create?.headers["revolut-api-version"]).toBe(API_VERSION);
    expect(create?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(create?.headers["idempotency-key"]).toBe(attempt.idempotencyKey);
    expect(JSON.parse(create?.body ?? "{}")).toEqual({
      amount: 4250,
      currency: "GBP",
      description: "Deposit for BKG-42",
      merchant_order_data: { reference: attempt.paymentId },
      metadata: { payment_id: attempt.paymentId, booking_id: attempt.bookingId },
      expire_pending_after: "PT90M",
    });
    expect(link.url).toBe(fake.orders.get(link.providerPaymentId)?.checkout_url);
    // Rounded down to whole minutes: never later than the hub asked.
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(attempt.expiresAt.getTime());
    expect(link.expiresAt.getTime()).toBeGreaterThan(attempt.expiresAt.getTime() - 90_000);
  });

  it("finds the first order by its reference on a retried create instead of making a second", async () => {
    const attempt = input();
    const first = await provider.createLink(attempt);
    const again = await provider.createLink(attempt);
    expect(again.providerPaymentId).toBe(first.providerPaymentId);
    const posts = fake.requests.filter(
      (r) => r.method === "POST" && r.path === "/api/orders" && r.body.includes(attempt.paymentId),
    );
    expect(posts).toHaveLength(1);
  });

  it("comes out ignored for ORDER_COMPLETED while the API still says pending: the re-read wins", async () => {
    const attempt = input();
    const link = await provider.createLink(attempt);
    const { body, headers } = fake.event("ORDER_COMPLETED", link.providerPaymentId);
    const event = await provider.verifyWebhook(body, headers);
    expect(event).toMatchObject({
      kind: "ignored",
      type: "ORDER_COMPLETED",
      providerPaymentId: link.providerPaymentId,
      paymentId: attempt.paymentId,
    });
  });

  it("comes out paid for an ORDER_PAYMENT_FAILED that arrives after the order completed", async () => {
    const link = await provider.createLink(input());
    await fake.pay(link.providerPaymentId);
    const { body, headers } = fake.event("ORDER_PAYMENT_FAILED", link.providerPaymentId);
    expect((await provider.verifyWebhook(body, headers)).kind).toBe("paid");
  });

  it("reads a failed order with no payment attempt (expire_pending_after ran out) as expired", async () => {
    const link = await provider.createLink(input());
    fake.setState(link.providerPaymentId, "failed");
    expect(await provider.status(link.providerPaymentId)).toBe("expired");
    const { body, headers } = fake.event("ORDER_FAILED", link.providerPaymentId);
    expect((await provider.verifyWebhook(body, headers)).kind).toBe("expired");
  });

  it("keeps a partly refunded order paid", async () => {
    const link = await provider.createLink(input({ amount: 1000 }));
    await fake.pay(link.providerPaymentId);
    const refund = await provider.refund(link.providerPaymentId, 400, `refund-${randomUUID()}`);
    expect(refund.status).toBe("pending");
    expect(await provider.status(link.providerPaymentId)).toBe("paid");
  });

  it("verifies deliveries signed with either secret while one rotates, headers in any case", async () => {
    const next = randomRevolutSecret();
    const rotating = revolutProvider(settings(fake, { webhookSecrets: [SECRET, next] }));
    const link = await rotating.createLink(input());
    await fake.pay(link.providerPaymentId);
    const payload = JSON.stringify({ event: "ORDER_COMPLETED", order_id: link.providerPaymentId });
    for (const secrets of [[SECRET], [next], [randomRevolutSecret(), next]]) {
      const { body, headers } = signRevolutWebhook(secrets, payload);
      expect((await rotating.verifyWebhook(body, headers)).kind).toBe("paid");
    }
    const { body, headers } = signRevolutWebhook(next, payload);
    const shouted = {
      "Revolut-Request-Timestamp": headers["revolut-request-timestamp"],
      "REVOLUT-SIGNATURE": headers["revolut-signature"],
    };
    expect((await rotating.verifyWebhook(body, shouted)).kind).toBe("paid");
    // The hub's single-secret adapter does not know the new secret.
    await expect(provider.verifyWebhook(body, headers)).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  it("refuses a delivery stamped six minutes ago or ahead", async () => {
    const link = await provider.createLink(input());
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const { body, headers } = fake.event("ORDER_COMPLETED", link.providerPaymentId, {
        timestamp: Date.now() + offset,
      });
      await expect(provider.verifyWebhook(body, headers)).rejects.toThrow(/outside/);
    }
  });

  it("names Revolut's own error message, and refuses a wrong key", async () => {
    const error = await provider.status(randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).status).toBe(404);
    expect((error as PaymentProviderError).kind).toBe("refused");
    expect((error as PaymentProviderError).message).toMatch(/not_found: Order with id .* was not found/);
    const wrongKey = revolutProvider(settings(fake, { apiKey: "sk_wrong" }));
    await expect(wrongKey.createLink(input())).rejects.toMatchObject({
      status: 401,
      message: expect.stringMatching(/Authentication failed/),
    });
  });

  it("reads once more when a connection is cut before the answer, but never sends a create twice", async () => {
    const link = await provider.createLink(input());
    fake.dropNext();
    expect(await provider.status(link.providerPaymentId)).toBe("open");
    const reads = fake.requests.filter((r) => r.method === "GET" && r.path === `/api/orders/${link.providerPaymentId}`);
    expect(reads.length).toBeGreaterThanOrEqual(2);

    const creates = fake.requests.filter((r) => r.method === "POST" && r.path === "/api/orders").length;
    fake.dropNext((method, path) => method === "POST" && path === "/api/orders");
    const error = await provider.createLink(input()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).kind).toBe("unreachable");
    expect((error as PaymentProviderError).message).toMatch(/network error: fetch failed \(.+\)/);
    // The create that was cut is not sent again: only Revolut could say whether it made an order.
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/api/orders")).toHaveLength(creates + 1);
  });

  it("gives up on a hanging API after timeoutMs with a PaymentProviderError", async () => {
    const impatient = revolutProvider(settings(fake, { timeoutMs: 300 }));
    fake.hang(3_000);
    const started = Date.now();
    const error = await impatient.createLink(input()).catch((e: unknown) => e);
    fake.hang(0);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(PaymentProviderError);
    expect((error as PaymentProviderError).message).toMatch(/no answer within 300 ms/);
    expect((error as PaymentProviderError).kind).toBe("timeout");
  });
});
