// What the demo and the payment tests drive a provider's fake with: the customer's side of its hosted page, and its
// webhooks, signed as the provider signs them.
import type { WebhookHeaders as Headers, WebhookKind } from "../../../payments";

/** What a webhook about an attempt may report (a refund's own webhook is `refundWebhook`). */
export type AttemptWebhookKind = Exclude<WebhookKind, "ignored" | "refund">;

/** A provider's fake, driven the way its real service would behave. */
export interface ProviderFake {
  /** The customer pays on the hosted page. */
  pay(providerPaymentId: string): Promise<void>;
  /** The customer's payment is declined (the page stays open where the provider allows a retry). */
  decline(providerPaymentId: string): Promise<void>;
  /** What the fake was asked to collect, in minor units, and in which currency. */
  amountOf(providerPaymentId: string): { amount: number; currency: string } | undefined;
  /** The next call of any kind answers with this HTTP status and an error body. */
  failNext(status: number): void;
  /** A webhook the provider would send about the attempt, signed as the provider signs it. */
  webhook(
    kind: AttemptWebhookKind,
    providerPaymentId: string,
    options?: { eventId?: string },
  ): { body: string; headers: Headers };
  /** The same, signed with a secret the hub does not hold. */
  forgedWebhook(kind: AttemptWebhookKind, providerPaymentId: string): { body: string; headers: Headers };
  /** A webhook signed long ago (outside the tolerance); undefined for a scheme without a timestamp. */
  staleWebhook?(kind: AttemptWebhookKind, providerPaymentId: string): { body: string; headers: Headers };
  /** From now on refunds stay pending until `refundWebhook` settles them (false: they succeed at once, the default). */
  refundsPending?(pending: boolean): void;
  /** A pending refund settles, and the webhook the provider sends about it, signed. */
  refundWebhook?(refundId: string, status: "succeeded" | "failed"): { body: string; headers: Headers };
  /** An event about something that is not a checkout: verified, then ignored. */
  unrelatedWebhook(): { body: string; headers: Headers };
}
