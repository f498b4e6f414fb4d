// The parts of a Revolut webhook delivery the adapter reads: { "event": "ORDER_COMPLETED", "order_id": "…",
// "merchant_order_ext_ref": "…" } for order and payment events; payout, subscription and dispute events carry no
// order_id.

export interface RevolutEvent {
  event?: string;
  order_id?: string;
  merchant_order_ext_ref?: string;
}

export function parseEvent(rawBody: string): RevolutEvent {
  try {
    const parsed: unknown = JSON.parse(rawBody);
    if (typeof parsed !== "object" || parsed === null) return {};
    const { event, order_id, merchant_order_ext_ref } = parsed as Record<string, unknown>;
    return {
      event: typeof event === "string" ? event : undefined,
      order_id: typeof order_id === "string" && order_id ? order_id : undefined,
      merchant_order_ext_ref: typeof merchant_order_ext_ref === "string" ? merchant_order_ext_ref : undefined,
    };
  } catch {
    // Signed by Revolut but not JSON: nothing to act on.
    return {};
  }
}
