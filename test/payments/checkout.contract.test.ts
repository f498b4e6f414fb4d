// Checkout.com (the secondary provider) through checkout-sdk-node against a loopback fake: the shared contract, then
// what is particular to it.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PaymentProviderError, WebhookSignatureError, type CreateLinkInput } from "../../payments/provider";
import { checkoutProvider, ckoSignature, type CheckoutSettings } from "../../payments/secondary/checkout";
import { runPaymentProviderContract } from "../support/payments/contract";
import { startFakeCheckout, type FakeCheckout } from "../support/fakes/checkout";

// A NAS sandbox key's shape (sk_sbox_ and 27 base32 characters), so the SDK sends it as "Bearer sk_sbox_…".
const secretKey = "sk_sbox_m73dzbpy7cf3gfd46xr4yj5xo4e";
const webhookSecret = "cko-test-webhook-signature-key";

const settingsFor = (fake: FakeCheckout, overrides: Partial<CheckoutSettings> = {}): CheckoutSettings => ({
  secretKey,
  webhookSecret,
  processingChannelId: "pc_testchannel01",
  apiUrl: fake.url,
  timeoutMs: 5_000,
  returnUrl: "https://hub.example/pay/done",
  ...overrides,
});

runPaymentProviderContract("checkout", async () => {
  const fake = await startFakeCheckout({ secretKey, webhookSecret });
  return { provider: checkoutProvider(settingsFor(fake)), fake, close: () => fake.close() };
});

const input = (overrides: Partial<CreateLinkInput> = {}): CreateLinkInput => {
  const paymentId = randomUUID();
  return {
    paymentId,
    bookingId: randomUUID(),
    amount: 4200,
    currency: "GBP",
    description: "Deposit for BKG-12",
    expiresAt: new Date(Date.now() + 2 * 3600_000),
    idempotencyKey: `payment-${paymentId}`,
    ...overrides,
  };
};

describe("Checkout.com adapter", () => {
  let fake: FakeCheckout;
  beforeAll(async () => {
    fake = await startFakeCheckout({ secretKey, webhookSecret });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it("verifies the Cko-Signature of a hand-built worked example", async () => {
    // Checkout.com's docs describe the scheme (hex HMAC-SHA256 of the raw body with the webhook's signature key) but
    // give no key/body/signature example. This one is HAND-BUILT: the signature was computed outside the hub with
    //   printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'hub-worked-example-signature-key'
    const key = "hub-worked-example-signature-key";
    const body =
      '{"id":"evt_az5sblvku4ge3dwpztvyizgcau","type":"payment_captured","data":{"id":"pay_mbabizu24mvu3mela5njyhpit4","reference":"ORD-5023-4E89","amount":1000,"currency":"GBP"}}';
    const signature = "4a7db3b0281b92de4f2c38c3bafb00526f8da60eeed7fa90b92ded03e8ea6b91";
    const provider = checkoutProvider(settingsFor(fake, { webhookSecret: key }));
    for (const name of ["Cko-Signature", "cko-signature", "CKO-SIGNATURE"]) {
      const event = await provider.verifyWebhook(body, { [name]: signature });
      expect(event).toMatchObject({
        eventId: "evt_az5sblvku4ge3dwpztvyizgcau",
        kind: "paid",
        type: "payment_captured",
        paymentId: "ORD-5023-4E89",
        providerPaymentId: null,
      });
    }
    const wrong = `${signature.slice(0, -1)}0`;
    await expect(provider.verifyWebhook(body, { "cko-signature": wrong })).rejects.toBeInstanceOf(
      WebhookSignatureError,
    );
    await expect(provider.verifyWebhook(body, { "cko-signature": "not-hex" })).rejects.toBeInstanceOf(
      WebhookSignatureError,
    );
  });

  it("creates the link in minor units, with the attempt as reference, the processing channel and an idempotency key", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const link = await provider.createLink(input({ amount: 4200 }));
    const create = fake.requests.filter((r) => r.method === "POST" && r.path === "/payment-links").at(-1)!;
    const body = JSON.parse(create.body) as Record<string, unknown>;
    expect(link.providerPaymentId).toMatch(/^pl_/);
    expect(body).toMatchObject({
      amount: 4200,
      currency: "GBP",
      description: "Deposit for BKG-12",
      processing_channel_id: "pc_testchannel01",
      return_url: "https://hub.example/pay/done",
      billing: { address: { country: "GB" } },
    });
    expect(body.reference).toBe((body.metadata as { payment_id: string }).payment_id);
    expect(Object.keys(body.metadata as object).sort()).toEqual(["booking_id", "payment_id"]);
    // Two hours, in whole seconds, rounded down.
    expect(body.expires_in).toBeGreaterThan(7_190);
    expect(body.expires_in).toBeLessThanOrEqual(7_200);
    expect(create.headers["cko-idempotency-key"]).toMatch(/^payment-/);
    expect(create.headers.authorization).toBe(`Bearer ${secretKey}`);
  });

  it("sends the attempt's own id as reference and its idempotency key as Cko-Idempotency-Key", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const attempt = input();
    await provider.createLink(attempt);
    const create = fake.requests.filter((r) => r.method === "POST" && r.path === "/payment-links").at(-1)!;
    expect(JSON.parse(create.body)).toMatchObject({
      reference: attempt.paymentId,
      metadata: { payment_id: attempt.paymentId, booking_id: attempt.bookingId },
    });
    expect(create.headers["cko-idempotency-key"]).toBe(attempt.idempotencyKey);
  });

  it("clamps expires_in to the 60 days Payment Links allow", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const link = await provider.createLink(input({ expiresAt: new Date(Date.now() + 90 * 86_400_000) }));
    const create = fake.requests.filter((r) => r.method === "POST" && r.path === "/payment-links").at(-1)!;
    expect(JSON.parse(create.body).expires_in).toBe(5_184_000);
    expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_184_000_000);
  });

  it("rejects with a PaymentProviderError within about a second when Checkout.com does not answer", async () => {
    const provider = checkoutProvider(settingsFor(fake, { timeoutMs: 300 }));
    fake.hang(5_000);
    try {
      const started = Date.now();
      const error = await provider.createLink(input()).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(error).toBeInstanceOf(PaymentProviderError);
      expect((error as PaymentProviderError).status).toBeUndefined();
      expect((error as PaymentProviderError).kind).toBe("timeout");
    } finally {
      fake.hang(0);
    }
  });

  it("turns a refused key and an unreachable host into PaymentProviderErrors", async () => {
    const wrongKey = checkoutProvider(settingsFor(fake, { secretKey: "sk_sbox_aaaaaaaaaaaaaaaaaaaaaaaaaaa" }));
    const refused = await wrongKey.status("pl_whatever").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PaymentProviderError);
    expect((refused as PaymentProviderError).status).toBe(401);
    expect((refused as PaymentProviderError).kind).toBe("refused");
    const nowhere = checkoutProvider(settingsFor(fake, { apiUrl: "http://127.0.0.1:1" }));
    const unreachable = await nowhere.status("pl_whatever").catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(PaymentProviderError);
    expect((unreachable as PaymentProviderError).status).toBeUndefined();
    expect((unreachable as PaymentProviderError).kind).toBe("unreachable");
  });

  it("says failed for a link that ran out after a declined payment, and expired for one nobody tried", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const declined = await provider.createLink(input());
    await fake.decline(declined.providerPaymentId);
    // The customer may still retry on an active link.
    expect(await provider.status(declined.providerPaymentId)).toBe("open");
    fake.expire(declined.providerPaymentId);
    expect(await provider.status(declined.providerPaymentId)).toBe("failed");
    expect(await provider.cancel(declined.providerPaymentId)).toBe("already_closed");
    const untried = await provider.createLink(input());
    fake.expire(untried.providerPaymentId);
    expect(await provider.status(untried.providerPaymentId)).toBe("expired");
  });

  it("stays paid after a partial refund, and is refunded once the whole amount is back", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const link = await provider.createLink(input({ amount: 3000 }));
    await fake.pay(link.providerPaymentId);
    await provider.refund(link.providerPaymentId, 1000, `refund-${randomUUID()}`);
    expect(await provider.status(link.providerPaymentId)).toBe("paid");
    await provider.refund(link.providerPaymentId, 2000, `refund-${randomUUID()}`);
    expect(await provider.status(link.providerPaymentId)).toBe("refunded");
    const refunds = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/refunds"));
    expect(JSON.parse(refunds.at(-1)!.body)).toMatchObject({ amount: 2000 });
    expect(refunds.at(-1)!.headers["cko-idempotency-key"]).toMatch(/^refund-/);
  });

  it("ignores payment_approved: the attempt is paid once captured", async () => {
    const provider = checkoutProvider(settingsFor(fake));
    const link = await provider.createLink(input());
    await fake.pay(link.providerPaymentId);
    const captured = fake.webhook("paid", link.providerPaymentId);
    const approvedBody = captured.body.replace('"type":"payment_captured"', '"type":"payment_approved"');
    const approved = await provider.verifyWebhook(approvedBody, {
      "cko-signature": ckoSignature(approvedBody, webhookSecret),
    });
    expect(approved.kind).toBe("ignored");
  });

  it("builds without apiUrl on the SDK's own hosts", () => {
    expect(() => checkoutProvider({ ...settingsFor(fake), apiUrl: undefined })).not.toThrow();
    expect(() => checkoutProvider({ ...settingsFor(fake), apiUrl: undefined, subdomain: "abc12345" })).not.toThrow();
  });
});
