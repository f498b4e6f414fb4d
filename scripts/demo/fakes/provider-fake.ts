// What the demo and the payment tests drive a provider's fake with: the customer's side of its hosted page, and its
// webhooks, signed as the provider signs them.
import type { WebhookHeaders as Headers, WebhookKind } from "../../../payments";

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
    kind: Exclude<WebhookKind, "ignored">,
    providerPaymentId: string,
    options?: { eventId?: string },
  ): { body: string; headers: Headers };
  /** The same, signed with a secret the hub does not hold. */
  forgedWebhook(kind: Exclude<WebhookKind, "ignored">, providerPaymentId: string): { body: string; headers: Headers };
  /** A webhook signed long ago (outside the tolerance); undefined for a scheme without a timestamp. */
  staleWebhook?(kind: Exclude<WebhookKind, "ignored">, providerPaymentId: string): { body: string; headers: Headers };
  /** An event about something that is not a checkout: verified, then ignored. */
  unrelatedWebhook(): { body: string; headers: Headers };
}
