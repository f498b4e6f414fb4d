// The one interface every online payment provider implements. The orchestrator (payments/orchestrator) sees only
// this: it never names Stripe, Revolut or Checkout.com. Money is an integer of minor units (pence), never a float.

/** What the orchestrator asks a provider to collect: one attempt, one hosted checkout page. */
export interface CreateLinkInput {
  /**
   * The hub's payment (attempt) id: the provider keeps it as metadata or a reference, so a webhook finds the attempt.
   */
  paymentId: string;
  bookingId: string;
  /** Minor units (pence). */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** What the customer sees on the checkout page ("Deposit for BKG-12"). */
  description: string;
  /** When the checkout page stops taking payment; a provider may round it to what it supports. */
  expiresAt: Date;
  /** Sent with every mutating call: a retried create returns the first one's result, never a second page. */
  idempotencyKey: string;
}

export interface CreatedLink {
  /** The provider's id for what it made (a Checkout Session, an order, a payment link). */
  providerPaymentId: string;
  /** The provider's hosted checkout page; customers reach it only through the hub's /pay/{token}. */
  url: string;
  expiresAt: Date;
  raw?: unknown;
}

/** `unsupported`: the provider cannot close a page early; it runs until it expires. */
export type CancelOutcome = "cancelled" | "already_paid" | "already_closed" | "unsupported";

/** The provider's own view of an attempt, asked before acting on a missed webhook. */
export type RemoteStatus = "open" | "paid" | "failed" | "expired" | "refunded";

export interface RefundResult {
  refundId: string;
  status: "succeeded" | "pending";
  raw?: unknown;
}

export type WebhookKind = "paid" | "failed" | "expired" | "refunded" | "ignored";

/** A webhook whose signature checked out, reduced to what the orchestrator acts on. */
export interface VerifiedWebhook {
  /** The provider's id for the delivery: a replay carries the same one and changes nothing. */
  eventId: string;
  /** Null for an event about something that is not a checkout (kind `ignored`). */
  providerPaymentId: string | null;
  /**
   * The hub's payment id, when the provider echoes it back (metadata, a reference): finds an attempt whose create call
   * timed out.
   */
  paymentId?: string | null;
  kind: WebhookKind;
  /** The event type in the provider's words (`checkout.session.completed`, `ORDER_COMPLETED`, `payment_approved`). */
  type: string;
  raw: unknown;
}

/** The request is not from the provider (bad, missing or stale signature): 400, nothing stored. */
export class WebhookSignatureError extends Error {
  override name = "WebhookSignatureError";
}

/**
 * Signed by the provider, but not an event the hub can read (not JSON, no id, a field it cannot store): 400, nothing
 * stored. Kept apart from WebhookSignatureError because the sender is genuine: health counts it as a processing
 * failure.
 */
export class WebhookEventError extends Error {
  override name = "WebhookEventError";
}

/** The provider refused or failed a call; `status` is its HTTP status when it answered at all. */
export class PaymentProviderError extends Error {
  override name = "PaymentProviderError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type Headers = Record<string, string | undefined>;

/** A header by name, whatever its case (Node lower-cases them; a caller may not). */
export function headerOf(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  return undefined;
}

export interface PaymentProviderAdapter {
  /** Which provider this is, for logs, health and docs: "stripe", "revolut", "checkout". */
  readonly name: string;
  createLink(input: CreateLinkInput): Promise<CreatedLink>;
  cancel(providerPaymentId: string): Promise<CancelOutcome>;
  status(providerPaymentId: string): Promise<RemoteStatus>;
  /** Refunds `amount` minor units of a paid attempt. */
  refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<RefundResult>;
  /**
   * Verifies the signature over the raw body (throws WebhookSignatureError) and normalises the event (throws
   * WebhookEventError for a signed body it cannot read).
   */
  verifyWebhook(rawBody: string, headers: Headers): Promise<VerifiedWebhook>;
}
