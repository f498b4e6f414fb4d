// Checkout.com webhooks: the Cko-Signature header is the hex HMAC-SHA256 of the raw body, keyed with the signature
// key set on the webhook
// (https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks/set-up-your-webhook-receiver).
// The scheme has no timestamp, so there is no staleness to check; a replay is harmless because it carries the same
// event id.
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  headerOf,
  WebhookEventError,
  WebhookSignatureError,
  type Headers,
  type VerifiedWebhook,
  type WebhookKind,
} from "../../provider";

/** The signature Checkout.com would send for this body: what a test (or a fake) signs with. */
export function ckoSignature(rawBody: string, key: string): string {
  return createHmac("sha256", key).update(rawBody, "utf8").digest("hex");
}

/**
 * Payment Links capture automatically by default, so payment_approved is followed by payment_captured: the hub calls
 * an attempt paid only once the money is captured, and a capture that fails arrives as payment_capture_declined.
 * payment_expired is Checkout.com's event for a payment that was started and never completed; a link that simply runs
 * out sends no event, and the orchestrator's status call (link "Expired") finds that.
 */
const KINDS: Record<string, Exclude<WebhookKind, "ignored">> = {
  payment_captured: "paid",
  payment_declined: "failed",
  payment_capture_declined: "failed",
  payment_expired: "expired",
  payment_refunded: "refunded",
};

interface CheckoutEvent {
  id: string;
  type: string;
  data?: { id?: unknown; action_id?: unknown; reference?: unknown; metadata?: { payment_id?: unknown } };
}

export function verifyCheckoutWebhook(rawBody: string, headers: Headers, webhookSecret: string): VerifiedWebhook {
  const signature = headerOf(headers, "cko-signature")?.trim();
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature))
    throw new WebhookSignatureError("missing or malformed Cko-Signature");
  const expected = createHmac("sha256", webhookSecret).update(rawBody, "utf8").digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, "hex")))
    throw new WebhookSignatureError("Cko-Signature does not match the body");

  // From here the sender is Checkout.com: what cannot be read is unreadable, not forged.
  let event: CheckoutEvent;
  try {
    event = JSON.parse(rawBody) as CheckoutEvent;
  } catch (error) {
    throw new WebhookEventError("signed Checkout.com body is not JSON", { cause: error });
  }
  if (typeof event?.id !== "string" || typeof event.type !== "string")
    throw new WebhookEventError("signed Checkout.com body is not an event with a string id and type");

  // A refund's own outcome names it by its action id, which the hub keeps on its refund row.
  const actionId = typeof event.data?.action_id === "string" ? event.data.action_id : undefined;
  if (event.type === "payment_refund_declined" && actionId)
    return {
      eventId: event.id,
      providerPaymentId: actionId,
      kind: "refund",
      refundStatus: "failed",
      type: event.type,
      raw: event,
    };
  const kind = KINDS[event.type] ?? "ignored";
  // The hub's payment id is the payment's reference and its metadata.payment_id (copied from the link); some events
  // carry only one of the two.
  const fromMetadata = event.data?.metadata?.payment_id;
  const reference = event.data?.reference;
  const paymentId = typeof fromMetadata === "string" ? fromMetadata : typeof reference === "string" ? reference : null;
  return {
    eventId: event.id,
    // Payment events name the payment (pay_…), not the Payment Link: Checkout.com documents no link id in them.
    providerPaymentId: null,
    paymentId: kind === "ignored" ? null : paymentId,
    kind,
    ...(kind === "refunded" && actionId ? { refundId: actionId } : {}),
    type: event.type,
    raw: event,
  };
}
