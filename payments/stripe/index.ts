// Stripe as a payment provider: one Checkout Session per attempt, through the official stripe-node client.
// The orchestrator decides about retries and failover, so the client never retries on its own.
import Stripe from "stripe";
import {
  headerOf,
  answeredError,
  ONLINE_CAPABILITIES,
  PaymentProviderError,
  WebhookEventError,
  WebhookSignatureError,
  type CancelOutcome,
  type PaymentProviderAdapter,
  type RemoteStatus,
} from "../provider";
import { normaliseStripeEvent, refuseFutureSignature, STRIPE_TOLERANCE_S } from "./webhook";

export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Stripe's API base (`https://api.stripe.com`, or a fake's loopback address in tests). */
  apiUrl: string;
  timeoutMs: number;
  /** Where Checkout sends the customer back, paid or not (the hub's own payment page). */
  returnUrl: string;
  /** The hub's clock, which a webhook's signature time is held against. */
  now?: () => Date;
}

// Stripe accepts expires_at between 30 minutes and 24 hours after the session is created. A minute of margin on
// each side keeps a request that takes a moment to arrive (or a clock a little off) inside the window.
const MIN_EXPIRY_MS = 31 * 60_000;
const MAX_EXPIRY_MS = 24 * 3600_000 - 60_000;

/** Intent states after which a completed-but-unpaid session will not be paid. */
const FAILED_INTENT = new Set<string>(["requires_payment_method", "canceled"]);

export function stripeProvider(settings: StripeSettings): PaymentProviderAdapter {
  const api = new URL(settings.apiUrl);
  const protocol = api.protocol.replace(/:$/, "");
  if (protocol !== "http" && protocol !== "https") throw new Error(`Stripe apiUrl must be http(s): ${settings.apiUrl}`);
  const stripe = new Stripe(settings.secretKey, {
    apiVersion: Stripe.API_VERSION,
    host: api.hostname,
    port: api.port || (protocol === "https" ? 443 : 80),
    protocol,
    timeout: settings.timeoutMs,
    maxNetworkRetries: 0,
    telemetry: false,
  });

  const now = settings.now ?? (() => new Date());
  const retrieve = (id: string, expand: string[] = []) =>
    call("retrieve checkout session", () => stripe.checkout.sessions.retrieve(id, expand.length ? { expand } : {}));

  return {
    name: "stripe",
    capabilities: ONLINE_CAPABILITIES,

    async createLink(input) {
      const now = Date.now();
      const expiresAt = Math.min(Math.max(input.expiresAt.getTime(), now + MIN_EXPIRY_MS), now + MAX_EXPIRY_MS);
      const metadata = { payment_id: input.paymentId, booking_id: input.bookingId };
      const session = await call("create checkout session", () =>
        stripe.checkout.sessions.create(
          {
            mode: "payment",
            line_items: [
              {
                quantity: 1,
                price_data: {
                  currency: input.currency.toLowerCase(),
                  unit_amount: input.amount,
                  product_data: { name: input.description },
                },
              },
            ],
            metadata,
            // The intent carries the ids as well, so payment_intent.* and charge.* events find the attempt.
            payment_intent_data: { metadata },
            client_reference_id: input.paymentId,
            expires_at: Math.floor(expiresAt / 1000),
            success_url: settings.returnUrl,
            cancel_url: settings.returnUrl,
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      if (!session.url)
        throw new PaymentProviderError(`Stripe checkout session ${session.id} came back without a url`, {
          kind: "server_error",
        });
      return {
        providerPaymentId: session.id,
        url: session.url,
        expiresAt: new Date(session.expires_at * 1000),
        raw: session,
      };
    },

    async status(id) {
      return remoteStatus(await retrieve(id, ["payment_intent.latest_charge"]));
    },

    async cancel(id) {
      const outcome = closedOutcome(await retrieve(id));
      if (outcome) return outcome;
      try {
        await call("expire checkout session", () =>
          stripe.checkout.sessions.expire(id, {}, { idempotencyKey: `expire-${id}` }),
        );
        return "cancelled";
      } catch (error) {
        // Stripe refuses to expire a session that closed in the meantime (the customer paid a moment ago).
        if (error instanceof PaymentProviderError && error.status === 400) {
          const now = closedOutcome(await retrieve(id));
          if (now) return now;
        }
        throw error;
      }
    },

    async refund(id, amount, idempotencyKey, options) {
      const session = await retrieve(id);
      const intent = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
      if (!intent)
        throw new PaymentProviderError(`Stripe checkout session ${id} has no payment to refund`, { kind: "refused" });
      const refund = await call("create refund", () =>
        stripe.refunds.create(
          {
            payment_intent: intent,
            amount,
            // The hub's refund row: Stripe's refund events carry it back (payments/stripe/webhook.ts).
            ...(options?.reference ? { metadata: { payment_id: options.reference } } : {}),
          },
          { idempotencyKey },
        ),
      );
      if (refund.status === "succeeded") return { refundId: refund.id, status: "succeeded", raw: refund };
      if (refund.status === "pending" || refund.status === "requires_action")
        return { refundId: refund.id, status: "pending", raw: refund };
      throw new PaymentProviderError(`Stripe refund ${refund.id} is ${refund.status}`, { kind: "refused" });
    },

    async verifyWebhook(rawBody, headers) {
      const header = headerOf(headers, "stripe-signature") ?? "";
      const at = now().getTime();
      refuseFutureSignature(header, at);
      let event: unknown;
      try {
        event = stripe.webhooks.constructEvent(
          rawBody,
          header,
          settings.webhookSecret,
          STRIPE_TOLERANCE_S,
          undefined,
          at,
        );
      } catch (error) {
        // stripe-node's messages run on with links to its docs; the first line says what was wrong.
        const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.trim();
        if (error instanceof Stripe.errors.StripeSignatureVerificationError)
          throw new WebhookSignatureError(`Stripe webhook signature refused: ${reason}`, { cause: error });
        // The signature held; what it covers is not a Stripe event (not JSON, a thin event).
        throw new WebhookEventError(`signed Stripe body cannot be read: ${reason}`, { cause: error });
      }
      return normaliseStripeEvent(event);
    },
  };
}

function remoteStatus(session: Stripe.Checkout.Session): RemoteStatus {
  if (session.status === "expired") return "expired";
  const intent = typeof session.payment_intent === "object" ? session.payment_intent : null;
  if (session.payment_status === "paid") {
    const charge = intent && typeof intent.latest_charge === "object" ? intent.latest_charge : null;
    return charge?.refunded ? "refunded" : "paid";
  }
  if (session.status === "complete" && intent && FAILED_INTENT.has(intent.status)) return "failed";
  // Open, or complete with a delayed payment (bank debit) still processing.
  return "open";
}

/** What cancel answers for a session that can no longer be expired; undefined while it is open. */
function closedOutcome(session: Stripe.Checkout.Session): CancelOutcome | undefined {
  if (session.payment_status === "paid") return "already_paid";
  return session.status === "open" ? undefined : "already_closed";
}

/** Runs one SDK call; whatever it throws becomes a PaymentProviderError with Stripe's HTTP status, if it answered. */
async function call<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw stripeFailure(what, error);
  }
}

/** Exported for its unit test: the kind of each way a Stripe call fails. */
export function stripeFailure(what: string, error: unknown): PaymentProviderError {
  const message = `Stripe ${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  // A connection error (refused, reset, timed out) has no status: Stripe never answered. stripe-node marks its own
  // timeout with the code ETIMEDOUT on the error it wraps.
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const timedOut = (error.detail as { code?: unknown } | undefined)?.code === "ETIMEDOUT";
    return new PaymentProviderError(message, { kind: timedOut ? "timeout" : "unreachable", cause: error });
  }
  if (error instanceof Stripe.errors.StripeError && error.statusCode !== undefined)
    return answeredError(message, error.statusCode, error);
  // Stripe answered something stripe-node could not read, or reading it failed here.
  return new PaymentProviderError(message, { kind: "server_error", cause: error });
}
