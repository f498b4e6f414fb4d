// The contract every online payment provider passes against its loopback fake: the orchestrator relies on exactly
// this behaviour, whichever provider fills the slot.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PaymentProviderError,
  WebhookSignatureError,
  type CreateLinkInput,
  type PaymentProviderAdapter,
} from "../../../payments/provider";
import type { ProviderFake } from "../../../scripts/demo/fakes/provider-fake";

export type { ProviderFake } from "../../../scripts/demo/fakes/provider-fake";

export interface ContractSubject {
  provider: PaymentProviderAdapter;
  fake: ProviderFake;
  close(): Promise<void>;
}

const linkInput = (overrides: Partial<CreateLinkInput> = {}): CreateLinkInput => {
  const paymentId = randomUUID();
  return {
    paymentId,
    bookingId: randomUUID(),
    amount: 2550,
    currency: "GBP",
    description: "Deposit for BKG-7",
    expiresAt: new Date(Date.now() + 2 * 3600_000),
    idempotencyKey: `payment-${paymentId}`,
    ...overrides,
  };
};

export function runPaymentProviderContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`payment provider contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeAll(async () => {
      subject = await setup();
    });
    afterAll(async () => {
      await subject?.close();
    });

    it("creates a hosted page for the amount in minor units, and is open until paid", async () => {
      const input = linkInput({ amount: 2599, currency: "GBP" });
      const link = await subject.provider.createLink(input);
      expect(link.providerPaymentId).toMatch(/\S+/);
      expect(new URL(link.url).protocol).toMatch(/^https?:$/);
      expect(link.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(subject.fake.amountOf(link.providerPaymentId)).toEqual({ amount: 2599, currency: "GBP" });
      expect(await subject.provider.status(link.providerPaymentId)).toBe("open");
      await subject.fake.pay(link.providerPaymentId);
      expect(await subject.provider.status(link.providerPaymentId)).toBe("paid");
    });

    it("gives the first page again for a retried create with the same idempotency key", async () => {
      const input = linkInput();
      const first = await subject.provider.createLink(input);
      const again = await subject.provider.createLink(input);
      expect(again.providerPaymentId).toBe(first.providerPaymentId);
      expect(again.url).toBe(first.url);
    });

    it("cancels an open page, and says so when it is closed already or paid", async () => {
      const open = await subject.provider.createLink(linkInput());
      const cancelled = await subject.provider.cancel(open.providerPaymentId);
      expect(["cancelled", "unsupported"]).toContain(cancelled);
      if (cancelled === "cancelled") {
        expect(["expired", "failed"]).toContain(await subject.provider.status(open.providerPaymentId));
        expect(await subject.provider.cancel(open.providerPaymentId)).toBe("already_closed");
      }
      const paid = await subject.provider.createLink(linkInput());
      await subject.fake.pay(paid.providerPaymentId);
      expect(await subject.provider.cancel(paid.providerPaymentId)).toBe("already_paid");
      expect(await subject.provider.status(paid.providerPaymentId)).toBe("paid");
    });

    it("refunds a paid attempt, once per idempotency key", async () => {
      const link = await subject.provider.createLink(linkInput({ amount: 1000 }));
      await subject.fake.pay(link.providerPaymentId);
      const key = `refund-${randomUUID()}`;
      const refund = await subject.provider.refund(link.providerPaymentId, 1000, key);
      expect(refund.refundId).toMatch(/\S+/);
      expect(["succeeded", "pending"]).toContain(refund.status);
      const again = await subject.provider.refund(link.providerPaymentId, 1000, key);
      expect(again.refundId).toBe(refund.refundId);
      expect(await subject.provider.status(link.providerPaymentId)).toBe("refunded");
    });

    it("turns an API error into a PaymentProviderError with the status", async () => {
      subject.fake.failNext(500);
      const error = await subject.provider.createLink(linkInput()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaymentProviderError);
      expect((error as PaymentProviderError).status).toBe(500);
      expect((error as PaymentProviderError).kind).toBe("server_error");
    });

    for (const kind of ["paid", "failed", "expired", "refunded"] as const) {
      it(`verifies a signed "${kind}" webhook and names the attempt`, async () => {
        const input = linkInput();
        const link = await subject.provider.createLink(input);
        if (kind === "paid" || kind === "refunded") await subject.fake.pay(link.providerPaymentId);
        if (kind === "refunded") await subject.provider.refund(link.providerPaymentId, 2550, `refund-${randomUUID()}`);
        if (kind === "failed") await subject.fake.decline(link.providerPaymentId);
        if (kind === "expired") await subject.provider.cancel(link.providerPaymentId);
        const { body, headers } = subject.fake.webhook(kind, link.providerPaymentId);
        const event = await subject.provider.verifyWebhook(body, headers);
        expect(event.kind).toBe(kind);
        // The hub finds the attempt by the provider's id, or by its own id echoed back (a reference, metadata).
        expect(event.providerPaymentId === link.providerPaymentId || event.paymentId === input.paymentId).toBe(true);
        if (event.providerPaymentId !== null) expect(event.providerPaymentId).toBe(link.providerPaymentId);
        expect(event.eventId).toMatch(/\S+/);
        // The same delivery verifies to the same event id: that is what makes a replay harmless.
        expect((await subject.provider.verifyWebhook(body, headers)).eventId).toBe(event.eventId);
      });
    }

    it("refuses a forged, a tampered and (where the scheme is timed) a stale webhook", async () => {
      const link = await subject.provider.createLink(linkInput());
      await subject.fake.pay(link.providerPaymentId);
      const forged = subject.fake.forgedWebhook("paid", link.providerPaymentId);
      await expect(subject.provider.verifyWebhook(forged.body, forged.headers)).rejects.toBeInstanceOf(
        WebhookSignatureError,
      );
      const good = subject.fake.webhook("paid", link.providerPaymentId);
      const tampered = good.body.replace(link.providerPaymentId, `${link.providerPaymentId}x`);
      expect(tampered).not.toBe(good.body);
      await expect(subject.provider.verifyWebhook(tampered, good.headers)).rejects.toBeInstanceOf(
        WebhookSignatureError,
      );
      await expect(subject.provider.verifyWebhook(good.body, {})).rejects.toBeInstanceOf(WebhookSignatureError);
      const stale = subject.fake.staleWebhook?.("paid", link.providerPaymentId);
      if (stale)
        await expect(subject.provider.verifyWebhook(stale.body, stale.headers)).rejects.toBeInstanceOf(
          WebhookSignatureError,
        );
    });

    it("verifies an event about something else and ignores it", async () => {
      const { body, headers } = subject.fake.unrelatedWebhook();
      const event = await subject.provider.verifyWebhook(body, headers);
      expect(event.kind).toBe("ignored");
    });
  });
}
