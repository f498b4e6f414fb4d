// A fake Revolut Merchant API on loopback, shaped after Revolut's OpenAPI spec (Order-v7, Error-v2): in-memory
// orders, the Bearer secret key and Revolut-Api-Version checked on every call, Idempotency-Key honoured where Revolut
// documents it (refunds), and webhooks signed exactly as Revolut signs them.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { WebhookHeaders as Headers, WebhookKind } from "../../../payments";
import { startFakeServer, type FakeRequest } from "./server";
import type { ProviderFake } from "./provider-fake";

type OrderState = "pending" | "processing" | "authorised" | "completed" | "cancelled" | "failed";

export interface FakeRevolutOrder {
  id: string;
  token: string;
  type: "payment" | "refund";
  state: OrderState;
  created_at: string;
  updated_at: string;
  amount: number;
  currency: string;
  outstanding_amount: number;
  refunded_amount?: number;
  description?: string;
  metadata?: Record<string, string>;
  merchant_order_data?: { reference?: string };
  expire_pending_after?: string;
  checkout_url?: string;
  related_order_id?: string;
  payments: { id: string; state: string; amount: number; currency: string; decline_reason?: string }[];
}

export interface FakeRevolut extends ProviderFake {
  url: string;
  requests: FakeRequest[];
  orders: Map<string, FakeRevolutOrder>;
  /** Moves an order to a state behind the hub's back (the API's truth, whatever events say). */
  setState(orderId: string, state: OrderState): void;
  /** A delivery of any event about an order, signed with the fake's secret unless told otherwise. */
  event(
    event: string,
    orderId: string,
    options?: { timestamp?: number; secrets?: string[] },
  ): { body: string; headers: Headers };
  /**
   * The next call's connection (the next for which `when` holds) is cut without an answer, as a kept-alive socket the
   * other side closed.
   */
  dropNext(when?: (method: string, path: string) => boolean): void;
  /** From now on every call waits `ms` before answering; hang(0) ends it. */
  hang(ms: number): void;
  close(): Promise<void>;
}

/**
 * Signs a body as Revolut does: v1=hex(HMAC-SHA256(secret, `v1.{timestamp}.{body}`)). Several secrets give several
 * comma-separated v1 values, as during a rotation. Written out here rather than borrowed from the adapter, so the
 * fake does not share the adapter's mistakes.
 */
export function signRevolutWebhook(
  secrets: string | string[],
  body: string,
  timestamp: number = Date.now(),
): { body: string; headers: Headers } {
  const sign = (secret: string) => `v1=${createHmac("sha256", secret).update(`v1.${timestamp}.${body}`).digest("hex")}`;
  const signature = [secrets].flat().map(sign).join(",");
  return {
    body,
    headers: {
      "revolut-request-timestamp": String(timestamp),
      "revolut-signature": signature,
      "content-type": "application/json",
    },
  };
}

/** A secret in Revolut's format (wsk_ and letters and digits), for forged deliveries and rotation tests. */
export const randomRevolutSecret = () =>
  `wsk_${randomBytes(24)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "")
    .slice(0, 32)}`;

type Answer = { status: number; body?: unknown };
const error = (status: number, code: string, message: string): Answer => ({
  status,
  body: { code, message, timestamp: Date.now() },
});

export async function startFakeRevolut(options: { apiKey: string; webhookSecret: string }): Promise<FakeRevolut> {
  const orders = new Map<string, FakeRevolutOrder>();
  const refundsByKey = new Map<string, string>();
  const timers = new Set<NodeJS.Timeout>();
  let failNext: number | null = null;
  let dropNext: ((method: string, path: string) => boolean) | null = null;
  let hangMs = 0;

  const touch = (order: FakeRevolutOrder, changes: Partial<FakeRevolutOrder>) =>
    Object.assign(order, changes, { updated_at: new Date().toISOString() });
  const mustGet = (id: string) => {
    const order = orders.get(id);
    if (!order) throw new Error(`fake Revolut has no order ${id}`);
    return order;
  };
  const newOrder = (
    fields: Pick<FakeRevolutOrder, "type" | "state" | "amount" | "currency"> & Partial<FakeRevolutOrder>,
  ): FakeRevolutOrder => {
    const at = new Date().toISOString();
    const order: FakeRevolutOrder = {
      id: randomUUID(),
      token: randomUUID(),
      created_at: at,
      updated_at: at,
      outstanding_amount: fields.amount,
      payments: [],
      ...fields,
    };
    orders.set(order.id, order);
    return order;
  };

  function route(method: string, url: URL, body: Record<string, unknown>, headers: FakeRequest["headers"]): Answer {
    const path = url.pathname;
    if (method === "POST" && path === "/api/orders") {
      const { amount, currency } = body;
      if (typeof amount !== "number" || !Number.isInteger(amount) || amount < 0)
        return error(422, "validation", "amount must be an integer of minor units");
      if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency))
        return error(422, "validation", "currency must be ISO 4217");
      // Revolut documents no Idempotency-Key on order creation, so the fake ignores it here (it is still recorded).
      const order = newOrder({
        type: "payment",
        state: "pending",
        amount,
        currency,
        description: body.description as string | undefined,
        metadata: body.metadata as Record<string, string> | undefined,
        merchant_order_data: body.merchant_order_data as { reference?: string } | undefined,
        expire_pending_after: body.expire_pending_after as string | undefined,
      });
      order.checkout_url = `https://checkout.revolut.com/payment-link/${order.token}`;
      return { status: 201, body: order };
    }
    if (method === "GET" && path === "/api/orders") {
      const reference = url.searchParams.get("merchant_order_data_reference");
      const list = [...orders.values()].filter(
        (o) => reference === null || o.merchant_order_data?.reference === reference,
      );
      // The list holds simplified orders: no checkout_url, no payments.
      return {
        status: 200,
        body: { orders: list.map(({ checkout_url: _url, payments: _payments, ...simplified }) => simplified) },
      };
    }
    const match = /^\/api\/orders\/([^/]+)(?:\/(cancel|refund))?$/.exec(path);
    const order = match ? orders.get(decodeURIComponent(match[1] ?? "")) : undefined;
    if (!match) return error(404, "not_found", `No route for ${method} ${path}`);
    if (!order) return error(404, "not_found", `Order with id ${match[1]} was not found`);
    const action = match[2];
    if (method === "GET" && !action) return { status: 200, body: order };
    if (method === "POST" && action === "cancel") {
      if (order.state !== "pending" && order.state !== "authorised")
        return error(400, "bad_state", `Order in state ${order.state} cannot be cancelled`);
      return { status: 200, body: touch(order, { state: "cancelled" }) };
    }
    if (method === "POST" && action === "refund") {
      const key = typeof headers["idempotency-key"] === "string" ? `${order.id}:${headers["idempotency-key"]}` : null;
      const earlier = key ? refundsByKey.get(key) : undefined;
      if (earlier) return { status: 201, body: orders.get(earlier) };
      if (order.state !== "completed")
        return error(400, "bad_state", `Order in state ${order.state} cannot be refunded`);
      const { amount, currency } = body;
      const refunded = order.refunded_amount ?? 0;
      if (typeof amount !== "number" || !Number.isInteger(amount) || amount <= 0 || refunded + amount > order.amount)
        return error(422, "validation", "refund amount exceeds what is left");
      if (currency !== order.currency) return error(422, "validation", `currency must be ${order.currency}`);
      // As in Revolut's example answer: a new order of type refund, still processing.
      const refund = newOrder({ type: "refund", state: "processing", amount, currency, related_order_id: order.id });
      refund.payments.push({ id: randomUUID(), state: "refund_validated", amount, currency });
      touch(order, { refunded_amount: refunded + amount });
      if (key) refundsByKey.set(key, refund.id);
      return { status: 201, body: refund };
    }
    return error(405, "method_not_allowed", `${method} ${path}`);
  }

  const server = await startFakeServer(async (request) => {
    if (hangMs > 0) {
      const ms = hangMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      });
    }
    if (dropNext?.(request.method, request.path.split("?")[0] ?? "")) {
      dropNext = null;
      return { drop: true };
    }
    if (failNext !== null) {
      const status = failNext;
      failNext = null;
      return error(status, status >= 500 ? "internal_error" : "bad_request", `Injected failure ${status}`);
    }
    if (request.headers.authorization !== `Bearer ${options.apiKey}`)
      return error(401, "unauthenticated", "Authentication failed");
    const version = request.headers["revolut-api-version"];
    if (typeof version !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(version))
      return error(400, "bad_request", "Revolut-Api-Version header is missing or malformed");
    let body: Record<string, unknown> = {};
    if (request.body) {
      try {
        body = JSON.parse(request.body) as Record<string, unknown>;
      } catch {
        return error(400, "bad_request", "Could not parse JSON");
      }
    }
    return route(request.method, new URL(request.path, "http://fake"), body, request.headers);
  });

  const event = (name: string, orderId: string, opts: { timestamp?: number; secrets?: string[] } = {}) => {
    const reference = orders.get(orderId)?.merchant_order_data?.reference;
    const payload = JSON.stringify({
      event: name,
      order_id: orderId,
      ...(reference ? { merchant_order_ext_ref: reference } : {}),
    });
    return signRevolutWebhook(opts.secrets ?? [options.webhookSecret], payload, opts.timestamp);
  };
  // The event Revolut sends for each outcome. A refund is its own order, so its event names the refund order.
  const eventFor = (kind: Exclude<WebhookKind, "ignored" | "refund">, orderId: string): [string, string] => {
    if (kind === "paid") return ["ORDER_COMPLETED", orderId];
    if (kind === "failed") return ["ORDER_FAILED", orderId];
    if (kind === "expired") return ["ORDER_CANCELLED", orderId];
    const refund = [...orders.values()].reverse().find((o) => o.type === "refund" && o.related_order_id === orderId);
    // Revolut tells of a refund when it completes: the refund order is completed by then.
    if (refund) touch(refund, { state: "completed" });
    return ["ORDER_COMPLETED", refund?.id ?? orderId];
  };

  return {
    url: server.url,
    requests: server.requests,
    orders,
    async pay(id) {
      const order = mustGet(id);
      order.payments.push({ id: randomUUID(), state: "captured", amount: order.amount, currency: order.currency });
      touch(order, { state: "completed", outstanding_amount: 0 });
    },
    async decline(id) {
      // Simplified: the attempt ends with the declined payment (the real page may let the customer try again).
      const order = mustGet(id);
      order.payments.push({
        id: randomUUID(),
        state: "declined",
        amount: order.amount,
        currency: order.currency,
        decline_reason: "do_not_honour",
      });
      touch(order, { state: "failed" });
    },
    amountOf(id) {
      const order = orders.get(id);
      return order && { amount: order.amount, currency: order.currency };
    },
    dropNext(when = () => true) {
      dropNext = when;
    },
    failNext(status) {
      failNext = status;
    },
    webhook: (kind, id) => event(...eventFor(kind, id)),
    refundWebhook(refundId, status) {
      const refund = mustGet(refundId);
      touch(refund, { state: status === "succeeded" ? "completed" : "failed" });
      if (status === "failed" && refund.related_order_id) {
        // A failed refund gives the order its money back to refund again.
        const order = mustGet(refund.related_order_id);
        touch(order, { refunded_amount: (order.refunded_amount ?? 0) - refund.amount });
      }
      return event(status === "succeeded" ? "ORDER_COMPLETED" : "ORDER_FAILED", refund.id);
    },
    forgedWebhook: (kind, id) => event(...eventFor(kind, id), { secrets: [randomRevolutSecret()] }),
    staleWebhook: (kind, id) => event(...eventFor(kind, id), { timestamp: Date.now() - 10 * 60_000 }),
    unrelatedWebhook: () =>
      signRevolutWebhook(options.webhookSecret, JSON.stringify({ event: "PAYOUT_COMPLETED", payout_id: randomUUID() })),
    setState(id, state) {
      touch(mustGet(id), { state });
    },
    event,
    hang(ms) {
      hangMs = ms;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
  };
}
