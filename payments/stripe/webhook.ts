// Stripe's webhook events reduced to what the orchestrator acts on. Only a handful of event types matter: a Checkout
// Session completing, failing or expiring, a declined payment intent and a refunded charge; the rest are ignored.
import type Stripe from "stripe";
import type { VerifiedWebhook, WebhookKind } from "../provider";

type Session = Stripe.Checkout.Session;

export function normaliseStripeEvent(event: Stripe.Event): VerifiedWebhook {
  const base = { eventId: event.id, type: event.type, raw: event };
  const fromSession = (session: Session, kind: WebhookKind): VerifiedWebhook => ({
    ...base,
    providerPaymentId: session.id,
    paymentId: session.metadata?.payment_id ?? null,
    kind,
  });
  // Events about a payment intent or a charge do not name the session: the hub finds the attempt by its own id,
  // which createLink put in the intent's metadata (and Stripe copies an intent's metadata onto its charges).
  const fromMetadata = (paymentId: string | undefined, kind: WebhookKind): VerifiedWebhook => ({
    ...base,
    providerPaymentId: null,
    paymentId: paymentId ?? null,
    kind: paymentId ? kind : "ignored",
  });

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
      return fromMetadata(intent?.metadata?.payment_id ?? charge.metadata?.payment_id, charge.refunded ? "refunded" : "ignored");
    }
    default:
      return { ...base, providerPaymentId: null, paymentId: null, kind: "ignored" };
  }
}
