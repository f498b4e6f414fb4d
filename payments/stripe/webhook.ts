// Stripe's webhook events reduced to what the orchestrator acts on. Only a handful of event types matter: a Checkout
// Session completing, failing or expiring, a declined payment intent and a refunded charge; the rest are ignored.
import type Stripe from "stripe";
import { WebhookEventError, WebhookSignatureError, type VerifiedWebhook, type WebhookKind } from "../provider";

type Session = Stripe.Checkout.Session;

/** How far a signature's time may lie from the hub's clock, either way (stripe-node's default, for the past). */
export const STRIPE_TOLERANCE_S = 300;

/**
 * stripe-node refuses only a signature older than the tolerance; one stamped further ahead would stay valid until
 * that moment came, so it is refused here. The time is read as stripe-node reads it: the last `t=` item, parseInt.
 */
export function refuseFutureSignature(header: string, nowMs: number): void {
  let signedAt = Number.NaN;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") signedAt = Number.parseInt(value ?? "", 10);
  }
  const ahead = signedAt - Math.floor(nowMs / 1000);
  if (ahead > STRIPE_TOLERANCE_S) {
    throw new WebhookSignatureError(
      `Stripe webhook signature refused: its timestamp is ${ahead} s in the future, beyond the ${STRIPE_TOLERANCE_S} s tolerance (is the hub's clock right?)`,
    );
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const textOrNull = (value: unknown) => (typeof value === "string" ? value : null);

/** A signed body as Stripe's event, or WebhookEventError when it is not one (null, data null, no id). */
export function normaliseStripeEvent(parsed: unknown): VerifiedWebhook {
  if (
    !isObject(parsed) ||
    typeof parsed.id !== "string" ||
    typeof parsed.type !== "string" ||
    !isObject(parsed.data) ||
    !isObject(parsed.data.object)
  ) {
    throw new WebhookEventError("signed Stripe body is not an event with a string id and type and a data.object");
  }
  const event = parsed as unknown as Stripe.Event;
  const base = { eventId: event.id, type: event.type, raw: event };
  const fromSession = (session: Session, kind: WebhookKind): VerifiedWebhook => {
    if (typeof session.id !== "string")
      throw new WebhookEventError(`signed Stripe ${event.type} event has no checkout session id`);
    return { ...base, providerPaymentId: session.id, paymentId: textOrNull(session.metadata?.payment_id), kind };
  };
  // Events about a payment intent or a charge do not name the session: the hub finds the attempt by its own id,
  // which createLink put in the intent's metadata (and Stripe copies an intent's metadata onto its charges).
  const fromMetadata = (value: unknown, kind: WebhookKind): VerifiedWebhook => {
    const paymentId = textOrNull(value);
    return { ...base, providerPaymentId: null, paymentId, kind: paymentId ? kind : "ignored" };
  };

  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      // A delayed method (bank debit) completes the session unpaid; its outcome comes as async_payment_* later.
      return fromSession(session, session.payment_status === "paid" ? "paid" : "ignored");
    }
    case "checkout.session.async_payment_succeeded":
      return fromSession(event.data.object, "paid");
    case "checkout.session.async_payment_failed":
      return fromSession(event.data.object, "failed");
    case "checkout.session.expired":
      return fromSession(event.data.object, "expired");
    case "payment_intent.payment_failed":
      return fromMetadata(event.data.object.metadata?.payment_id, "failed");
    case "charge.refunded": {
      const charge = event.data.object;
      const intent = typeof charge.payment_intent === "object" ? charge.payment_intent : null;
      // Stripe sends charge.refunded for partial refunds too; like status(), only a full refund is "refunded".
      return fromMetadata(
        intent?.metadata?.payment_id ?? charge.metadata?.payment_id,
        charge.refunded ? "refunded" : "ignored",
      );
    }
    case "refund.created":
    case "refund.updated":
    case "refund.failed":
    case "charge.refund.updated": {
      // One refund's state: succeeded or failed settles the hub's row; pending or requires_action waits.
      const refund = event.data.object as Stripe.Refund;
      if (typeof refund.id !== "string")
        throw new WebhookEventError(`signed Stripe ${event.type} event has no refund id`);
      const refundStatus =
        refund.status === "succeeded"
          ? "succeeded"
          : refund.status === "failed" || refund.status === "canceled"
            ? "failed"
            : null;
      return {
        ...base,
        providerPaymentId: refund.id,
        paymentId: textOrNull(refund.metadata?.payment_id),
        kind: refundStatus ? "refund" : "ignored",
        ...(refundStatus ? { refundStatus } : {}),
      };
    }
    default:
      return { ...base, providerPaymentId: null, paymentId: null, kind: "ignored" };
  }
}
