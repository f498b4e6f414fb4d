// The Revolut Business Merchant API as the hub's secondary payment provider, over plain fetch. One attempt is one
// Revolut order; its hosted checkout_url is the page. Webhooks are verified (payments/secondary/revolut/signature.ts)
// and then the order is read again, because Revolut does not guarantee the order in which events arrive: the kind
// comes from the order's state now, never from the event's name.
import {
  type CancelOutcome,
  type CreateLinkInput,
  type CreatedLink,
  type Headers,
  type PaymentProviderAdapter,
  type RefundResult,
  type VerifiedWebhook,
  headerOf,
  ONLINE_CAPABILITIES,
  PaymentProviderError,
} from "../provider";
import { remoteStatusOf, revolutApi, type RevolutOrder } from "./revolut/api";
import { parseEvent } from "./revolut/event";
import { verifyRevolutSignature } from "./revolut/signature";

export { revolutSignature, verifyRevolutSignature } from "./revolut/signature";

export interface RevolutSettings {
  /** The Merchant API secret key (sk_…). */
  apiKey: string;
  /** Every webhook signing secret (wsk_…) accepted now: two while one rotates. */
  webhookSecrets: string[];
  /** https://merchant.revolut.com or https://sandbox-merchant.revolut.com. */
  apiUrl: string;
  /** Sent as Revolut-Api-Version, e.g. 2024-09-01. */
  apiVersion: string;
  timeoutMs: number;
  now?: () => Date;
}

// expire_pending_after takes PT1M to PT720H (30 days).
const MIN_EXPIRY_MINUTES = 1;
const MAX_EXPIRY_MINUTES = 720 * 60;

export function revolutProvider(settings: RevolutSettings): PaymentProviderAdapter {
  const request = revolutApi(settings);
  const now = settings.now ?? (() => new Date());
  const orderPath = (id: string) => `/api/orders/${encodeURIComponent(id)}`;
  const getOrder = (id: string) => request<RevolutOrder>("GET", orderPath(id));
  /** The order, or null when Revolut answers 404; any other failure is thrown (the webhook is then sent again). */
  const orderIfKnown = (id: string) =>
    getOrder(id).catch((error: unknown) => {
      if (error instanceof PaymentProviderError && error.status === 404) return null;
      throw error;
    });

  /** What cancel says about an order that is already past taking payment; null while it is still open. */
  const closedOutcome = (order: RevolutOrder): CancelOutcome | null =>
    order.state === "completed"
      ? "already_paid"
      : order.state === "cancelled" || order.state === "failed"
        ? "already_closed"
        : null;

  /**
   * Revolut documents Idempotency-Key for refunds but not for creating orders, so a retried create could make a
   * second order. The attempt's id is the order's merchant reference, so an order still usable for this attempt is
   * looked up by it first and handed back instead.
   */
  async function findReusableOrder(input: CreateLinkInput): Promise<RevolutOrder | null> {
    const found = await request<{ orders?: RevolutOrder[] } | RevolutOrder[]>(
      "GET",
      `/api/orders?merchant_order_data_reference=${encodeURIComponent(input.paymentId)}`,
    );
    const orders = Array.isArray(found) ? found : (found.orders ?? []);
    const match = orders.find(
      (o) =>
        (o.type ?? "payment") === "payment" &&
        o.amount === input.amount &&
        o.currency === input.currency &&
        closedOutcome(o) === null,
    );
    // The list holds simplified orders without checkout_url: read the full one.
    return match ? getOrder(match.id) : null;
  }

  return {
    name: "revolut",
    capabilities: ONLINE_CAPABILITIES,

    async createLink(input: CreateLinkInput): Promise<CreatedLink> {
      // Whole minutes, rounded down, so the page never outlives the hub's own deadline.
      const wanted = Math.floor((input.expiresAt.getTime() - now().getTime()) / 60_000);
      const minutes = Math.min(MAX_EXPIRY_MINUTES, Math.max(MIN_EXPIRY_MINUTES, wanted));
      const expiresAt = new Date(now().getTime() + minutes * 60_000);
      const order =
        (await findReusableOrder(input)) ??
        (await request<RevolutOrder>("POST", "/api/orders", {
          // Sent although undocumented for this endpoint: harmless, and it holds if Revolut ever honours it.
          idempotencyKey: input.idempotencyKey,
          body: {
            amount: input.amount,
            currency: input.currency,
            description: input.description,
            merchant_order_data: { reference: input.paymentId },
            metadata: { payment_id: input.paymentId, booking_id: input.bookingId },
            expire_pending_after: `PT${minutes}M`,
          },
        }));
      if (!order.id || !order.checkout_url)
        throw new PaymentProviderError("Revolut created an order without an id or checkout_url", {
          kind: "server_error",
        });
      return { providerPaymentId: order.id, url: order.checkout_url, expiresAt, raw: order };
    },

    async status(providerPaymentId: string) {
      return remoteStatusOf(await getOrder(providerPaymentId));
    },

    async cancel(providerPaymentId: string): Promise<CancelOutcome> {
      const closed = closedOutcome(await getOrder(providerPaymentId));
      if (closed) return closed;
      try {
        await request<RevolutOrder>("POST", `${orderPath(providerPaymentId)}/cancel`);
        return "cancelled";
      } catch (error) {
        // Revolut refuses to cancel an order that moved on meanwhile (the customer paid between the two calls).
        if (
          error instanceof PaymentProviderError &&
          error.status !== undefined &&
          error.status >= 400 &&
          error.status < 500
        ) {
          const after = closedOutcome(await getOrder(providerPaymentId));
          if (after) return after;
        }
        throw error;
      }
    },

    async refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<RefundResult> {
      // The refund call wants the currency, which only the order knows.
      const order = await getOrder(providerPaymentId);
      const refund = await request<RevolutOrder>("POST", `${orderPath(providerPaymentId)}/refund`, {
        idempotencyKey,
        body: { amount, currency: order.currency },
      });
      if (refund.state === "failed" || refund.state === "cancelled") {
        throw new PaymentProviderError(
          `Revolut refund ${refund.id} of order ${providerPaymentId} ended ${refund.state}`,
          {
            kind: "refused",
          },
        );
      }
      return { refundId: refund.id, status: refund.state === "completed" ? "succeeded" : "pending", raw: refund };
    },

    async verifyWebhook(rawBody: string, headers: Headers): Promise<VerifiedWebhook> {
      const timestamp = headerOf(headers, "revolut-request-timestamp");
      verifyRevolutSignature({
        rawBody,
        timestamp,
        signatureHeader: headerOf(headers, "revolut-signature"),
        secrets: settings.webhookSecrets,
        now: now().getTime(),
      });
      const event = parseEvent(rawBody);
      const type = event.event;
      // Revolut sends no event id. A replayed delivery carries the same timestamp (it is signed), hence the same id.
      const eventId = `${type}:${event.order_id ?? "-"}:${timestamp}`;
      const unknown: VerifiedWebhook = {
        eventId,
        providerPaymentId: null,
        paymentId: null,
        kind: "ignored",
        type,
        raw: event,
      };
      if (!event.order_id) return unknown;
      let order = await orderIfKnown(event.order_id);
      // A refund is an order of its own; the attempt is the order it refunds. A refund that ended names itself, so the
      // hub's own refund row (its id that order's) is settled by it.
      const refund =
        order?.type === "refund" &&
        (order.state === "completed" || order.state === "failed" || order.state === "cancelled")
          ? {
              refundId: order.id,
              refundStatus: order.state === "completed" ? ("succeeded" as const) : ("failed" as const),
            }
          : {};
      if (order?.type === "refund" && order.related_order_id) order = await orderIfKnown(order.related_order_id);
      // An order Revolut does not know is no attempt of the hub's either: nothing to act on, and no use sending it
      // again.
      if (!order) return unknown;
      const status = remoteStatusOf(order);
      return {
        eventId,
        providerPaymentId: order.id,
        paymentId: order.merchant_order_data?.reference ?? event.merchant_order_ext_ref ?? null,
        kind: status === "open" ? "ignored" : status,
        ...refund,
        type,
        raw: event,
      };
    },
  };
}
