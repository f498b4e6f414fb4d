// The parts of a Revolut webhook delivery the adapter reads: { "event": "ORDER_COMPLETED", "order_id": "…",
// "merchant_order_ext_ref": "…" } for order and payment events; payout, subscription and dispute events carry no
// order_id.
import { WebhookEventError } from "../../provider";

/** Revolut's order ids are UUIDs; a little slack in case that changes, but nothing a URL path could choke on. */
const ORDER_ID = /^[A-Za-z0-9_-]{1,128}$/;

export interface RevolutEvent {
  event: string;
  order_id?: string;
  merchant_order_ext_ref?: string;
}

/** A signed body as Revolut's event; WebhookEventError when it is not JSON, not an object, or names no event. */
export function parseEvent(rawBody: string): RevolutEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch (error) {
    throw new WebhookEventError("signed Revolut body is not JSON", { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new WebhookEventError("signed Revolut body is not a JSON object");
  const { event, order_id, merchant_order_ext_ref } = parsed as Record<string, unknown>;
  if (typeof event !== "string" || !event) throw new WebhookEventError("signed Revolut body names no event");
  // The id goes into the path of the order fetch: one that cannot be Revolut's (a UUID) is not asked about.
  if (typeof order_id === "string" && order_id && !ORDER_ID.test(order_id)) {
    throw new WebhookEventError(
      `signed Revolut body's order_id ${JSON.stringify(order_id.slice(0, 64))} is not an order id`,
    );
  }
  return {
    event,
    order_id: typeof order_id === "string" && order_id ? order_id : undefined,
    merchant_order_ext_ref: typeof merchant_order_ext_ref === "string" ? merchant_order_ext_ref : undefined,
  };
}
