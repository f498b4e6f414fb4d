// The one interface every payment provider implements, the manual bank transfer included. The orchestrator
// (payments/orchestrator) sees only this: it never names Stripe, Revolut or Checkout.com, and asks an adapter's
// capabilities rather than whether it is manual. Money is an integer of minor units (pence), never a float.

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

/** `refund`: about one refund (its row found by `providerPaymentId`, the refund's id, or `paymentId`, the row's). */
export type WebhookKind = "paid" | "failed" | "expired" | "refunded" | "refund" | "ignored";

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
  /** Kind `refund`: how the refund ended. */
  refundStatus?: "succeeded" | "failed";
  /**
   * The refund an event about the attempt is about, when the provider names it (Checkout.com's action id, Revolut's
   * refund order): a refund the hub asked for settles its own row only, as `refundStatus` says (succeeded unless
   * failed), and a partial one leaves the attempt paid; one it did not ask for is read by `kind` as before.
   */
  refundId?: string;
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

/**
 * How a call to a provider went wrong. `refused`: it answered 4xx, or said no in a 2xx (a refund that ended failed);
 * `server_error`: it answered 5xx, or an answer the hub cannot use; `unreachable`: no answer at all (a refused
 * connection, a reset, DNS); `timeout`: no answer within PAYMENT_PROVIDER_TIMEOUT_MS.
 */
export type ProviderErrorKind = "timeout" | "refused" | "server_error" | "unreachable";

/** The kind of an HTTP answer that is an error: the caller's fault (4xx) or the provider's (anything else). */
export const kindOfAnswer = (status: number): "refused" | "server_error" =>
  status >= 400 && status < 500 ? "refused" : "server_error";

/** The provider refused or failed a call; `status` is its HTTP status when it answered at all. */
export class PaymentProviderError extends Error {
  override name = "PaymentProviderError";
  readonly kind: ProviderErrorKind;
  readonly status: number | undefined;
  constructor(message: string, failure: { kind: ProviderErrorKind; status?: number; cause?: unknown }) {
    super(message, failure.cause === undefined ? undefined : { cause: failure.cause });
    this.kind = failure.kind;
    this.status = failure.status;
  }
}

/** An error the provider answered with: its kind follows from the status. */
export const answeredError = (message: string, status: number, cause?: unknown) =>
  new PaymentProviderError(message, { kind: kindOfAnswer(status), status, cause });

export type Headers = Record<string, string | undefined>;

/** A header by name, whatever its case (Node lower-cases them; a caller may not). */
export function headerOf(headers: Headers, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers))
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  return undefined;
}

/**
 * What an adapter can do, so the orchestrator asks it instead of comparing names. Every online provider can do all of
 * it; the manual bank transfer (payments/manual/adapter.ts) none of it. Closing early is not here: an adapter that
 * cannot answers cancel with `unsupported`, after saying whether the page was paid.
 */
export interface ProviderCapabilities {
  /** It makes a checkout page; without one the attempt opens with instructions and staff take it from there. */
  readonly checkoutPage: boolean;
  /** It reports outcomes by webhook, so a watchdog waits for one and asks when none comes. */
  readonly webhooks: boolean;
  /** It pays money back itself; without, a person returns it. */
  readonly refunds: boolean;
}

export const ONLINE_CAPABILITIES: ProviderCapabilities = { checkoutPage: true, webhooks: true, refunds: true };

export interface PaymentProviderAdapter {
  /** Which provider this is, for logs, health and docs: "stripe", "revolut", "checkout", "manual". */
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  createLink(input: CreateLinkInput): Promise<CreatedLink>;
  cancel(providerPaymentId: string): Promise<CancelOutcome>;
  status(providerPaymentId: string): Promise<RemoteStatus>;
  /**
   * Refunds `amount` minor units of a paid attempt. `reference` is the hub's refund row id: a provider that keeps
   * metadata on a refund echoes it in its refund webhooks, which then find the row even before the refund's id is
   * written.
   */
  refund(
    providerPaymentId: string,
    amount: number,
    idempotencyKey: string,
    options?: { reference?: string },
  ): Promise<RefundResult>;
  /**
   * Verifies the signature over the raw body (throws WebhookSignatureError) and normalises the event (throws
   * WebhookEventError for a signed body it cannot read).
   */
  verifyWebhook(rawBody: string, headers: Headers): Promise<VerifiedWebhook>;
}
