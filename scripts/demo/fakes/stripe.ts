// A small stand-in for Stripe's API on loopback, spoken to by the real stripe-node client: Checkout Sessions, their
// payment intents and charges, refunds, idempotency keys, API-key auth, expansion, and webhooks signed as Stripe signs.
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import Stripe from "stripe";
import type { WebhookHeaders as Headers, WebhookKind } from "../../../payments";
import { startFakeServer, type FakeRequest } from "./server";
import type { ProviderFake } from "./provider-fake";

type Json = Record<string, unknown>;

export interface StripeRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: Json;
  headers: IncomingHttpHeaders;
  /** The form-encoded body rebuilt into nested objects and arrays (values stay strings, as sent). */
  body: Json;
}

export interface FakeStripe extends ProviderFake {
  url: string;
  requests: StripeRequest[];
  /**
   * The next call (the next for which `when` holds, if given) answers with this HTTP status: `when` keeps a call still
   * on its way from an earlier step (closing a timed-out attempt) from taking the failure meant for a later one.
   */
  failNext(status: number, when?: (method: string, path: string) => boolean): void;
  /** Every call from now on waits `ms` before it is answered (and before it takes effect); `hang(0)` ends it. */
  hang(ms: number): void;
  /** Resolves once no call is held by `hang` any more: none of them can then take a later `failNext`. */
  quiet(): Promise<void>;
  /** The session made for a hub payment (its metadata's payment_id), also one whose create answer hung. */
  sessionOf(paymentId: string): string | undefined;
  /** Any event, signed with the hub's webhook secret (or another one / an old timestamp). */
  signed(event: Json, options?: { secret?: string; timestamp?: number }): { body: string; headers: Headers };
  close(): Promise<void>;
}

interface Session {
  id: string;
  amount: number;
  currency: string;
  description: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid";
  payment_intent: string | null;
  metadata: Record<string, string>;
  intentMetadata: Record<string, string>;
  client_reference_id: string | null;
  expires_at: number;
  created: number;
  success_url: string;
  cancel_url: string;
}

interface Intent {
  id: string;
  amount: number;
  currency: string;
  status: "requires_payment_method" | "succeeded";
  metadata: Record<string, string>;
  latest_charge: string | null;
  last_payment_error: Json | null;
}

interface Charge {
  id: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  metadata: Record<string, string>;
}

const id = (prefix: string) => `${prefix}${randomBytes(12).toString("hex")}`;
const seconds = () => Math.floor(Date.now() / 1000);
const stripeError = (status: number, type: string, message: string) => ({ status, body: { error: { type, message } } });
const errorType = (status: number) =>
  status === 401
    ? "invalid_request_error"
    : status === 402
      ? "card_error"
      : status === 429
        ? "rate_limit_error"
        : status >= 500
          ? "api_error"
          : "invalid_request_error";

/**
 * Rebuilds stripe-node's bracket keys (`line_items[0][price_data][unit_amount]`, `expand[]`) into objects and arrays.
 */
export function parseStripeForm(text: string): Json {
  const root: Json = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const segments = key.replace(/\]/g, "").split("[");
    let node = root;
    segments.forEach((segment, i) => {
      const name = segment === "" ? String(Object.keys(node).length) : segment;
      if (i === segments.length - 1) node[name] = value;
      else {
        node[name] ??= {};
        node = node[name] as Json;
      }
    });
  }
  return arrays(root) as Json;
}

function arrays(value: unknown): unknown {
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arrays(v)] as const);
  const indexed = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return indexed ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

export function stripeEvent(type: string, object: Json, eventId = id("evt_")): Json {
  return {
    id: eventId,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: seconds(),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export async function startFakeStripe(options: { secretKey: string; webhookSecret: string }): Promise<FakeStripe> {
  const sessions = new Map<string, Session>();
  const intents = new Map<string, Intent>();
  const charges = new Map<string, Charge>();
  const refunds = new Map<string, Json>();
  // Stripe keeps the first answer per idempotency key and replays it; here per method, path and key.
  const idempotent = new Map<string, { body: string; status: number; response: unknown }>();
  const requests: StripeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let failNext: number | undefined;
  let failWhen: ((method: string, path: string) => boolean) | undefined;
  let hangMs = 0;
  let refundsPending = false;

  const sessionJson = (s: Session): Json => ({
    id: s.id,
    object: "checkout.session",
    mode: "payment",
    amount_total: s.amount,
    amount_subtotal: s.amount,
    currency: s.currency,
    status: s.status,
    payment_status: s.payment_status,
    payment_intent: s.payment_intent,
    metadata: s.metadata,
    client_reference_id: s.client_reference_id,
    expires_at: s.expires_at,
    created: s.created,
    livemode: false,
    success_url: s.success_url,
    cancel_url: s.cancel_url,
    url: s.status === "open" ? `https://checkout.stripe.test/c/pay/${s.id}` : null,
  });
  const intentJson = (pi: Intent): Json => ({ ...pi, object: "payment_intent" });
  const chargeJson = (c: Charge): Json => ({
    ...c,
    object: "charge",
    status: "succeeded",
    paid: true,
    captured: true,
    refunded: c.amount_refunded === c.amount,
  });
  const lookup = (key: string): Json | undefined => {
    const found = sessions.get(key) ?? intents.get(key) ?? charges.get(key);
    if (!found) return undefined;
    return key.startsWith("cs_")
      ? sessionJson(found as Session)
      : key.startsWith("pi_")
        ? intentJson(found as Intent)
        : chargeJson(found as Charge);
  };
  // `expand[]=payment_intent.latest_charge`: each id along the path becomes its object.
  const expand = (object: Json, paths: unknown): Json => {
    for (const path of Array.isArray(paths) ? (paths as string[]) : []) {
      let node: Json | undefined = object;
      for (const field of path.split(".")) {
        if (!node) break;
        const value: unknown = node[field];
        if (typeof value === "string") node[field] = lookup(value) ?? value;
        node = node[field] && typeof node[field] === "object" ? (node[field] as Json) : undefined;
      }
    }
    return object;
  };

  const intentFor = (s: Session): Intent => {
    if (s.payment_intent) return intents.get(s.payment_intent)!;
    // Checkout makes the intent only when the customer submits the page.
    const pi: Intent = {
      id: id("pi_"),
      amount: s.amount,
      currency: s.currency,
      status: "requires_payment_method",
      metadata: { ...s.intentMetadata },
      latest_charge: null,
      last_payment_error: null,
    };
    intents.set(pi.id, pi);
    s.payment_intent = pi.id;
    return pi;
  };
  const openSession = (sessionId: string): Session => {
    const s = sessions.get(sessionId);
    if (!s) throw new Error(`fake Stripe: no checkout session ${sessionId}`);
    if (s.status !== "open") throw new Error(`fake Stripe: checkout session ${sessionId} is ${s.status}`);
    return s;
  };

  function route(method: string, path: string, query: Json, body: Json): { status: number; body: unknown } {
    let match: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const item = ((body.line_items as Json[] | undefined)?.[0] ?? {}) as Json;
      const price = (item.price_data ?? {}) as Json;
      const amount = Number(price.unit_amount);
      const expiresAt = body.expires_at === undefined ? seconds() + 24 * 3600 : Number(body.expires_at);
      if (body.mode !== "payment")
        return stripeError(400, "invalid_request_error", "fake Stripe supports mode=payment only");
      if (!Number.isInteger(amount) || amount <= 0 || typeof price.currency !== "string")
        return stripeError(400, "invalid_request_error", "line_items[0][price_data] needs unit_amount and currency");
      if (expiresAt < seconds() + 1800 || expiresAt > seconds() + 24 * 3600)
        return stripeError(
          400,
          "invalid_request_error",
          "The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.",
        );
      if (typeof body.success_url !== "string")
        return stripeError(400, "invalid_request_error", "Missing required param: success_url.");
      const s: Session = {
        id: id("cs_test_"),
        amount,
        currency: price.currency,
        description: String((price.product_data as Json | undefined)?.name ?? ""),
        status: "open",
        payment_status: "unpaid",
        payment_intent: null,
        metadata: (body.metadata ?? {}) as Record<string, string>,
        intentMetadata: ((body.payment_intent_data as Json | undefined)?.metadata ?? {}) as Record<string, string>,
        client_reference_id: typeof body.client_reference_id === "string" ? body.client_reference_id : null,
        expires_at: expiresAt,
        created: seconds(),
        success_url: body.success_url,
        cancel_url: String(body.cancel_url ?? body.success_url),
      };
      sessions.set(s.id, s);
      return { status: 200, body: sessionJson(s) };
    }
    match = path.match(/^\/v1\/checkout\/sessions\/([^/]+)(\/expire)?$/);
    if (match) {
      const s = sessions.get(match[1]!);
      if (!s) return stripeError(404, "invalid_request_error", `No such checkout.session: '${match[1]}'`);
      if (method === "GET" && !match[2]) return { status: 200, body: expand(sessionJson(s), query.expand) };
      if (method === "POST" && match[2]) {
        if (s.status !== "open")
          return stripeError(
            400,
            "invalid_request_error",
            `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${s.status}".`,
          );
        s.status = "expired";
        return { status: 200, body: sessionJson(s) };
      }
    }
    match = method === "GET" ? path.match(/^\/v1\/payment_intents\/([^/]+)$/) : null;
    if (match) {
      const pi = intents.get(match[1]!);
      return pi
        ? { status: 200, body: expand(intentJson(pi), query.expand) }
        : stripeError(404, "invalid_request_error", `No such payment_intent: '${match[1]}'`);
    }
    if (method === "POST" && path === "/v1/refunds") {
      const pi = intents.get(String(body.payment_intent));
      const charge = pi?.latest_charge ? charges.get(pi.latest_charge) : undefined;
      if (!pi || !charge)
        return stripeError(
          400,
          "invalid_request_error",
          `No succeeded payment for payment_intent '${String(body.payment_intent)}'`,
        );
      const amount = body.amount === undefined ? charge.amount - charge.amount_refunded : Number(body.amount);
      if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount - charge.amount_refunded)
        return stripeError(
          400,
          "invalid_request_error",
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${charge.amount - charge.amount_refunded})`,
        );
      charge.amount_refunded += amount;
      const refund = {
        id: id("re_"),
        object: "refund",
        amount,
        currency: charge.currency,
        charge: charge.id,
        payment_intent: pi.id,
        status: refundsPending ? "pending" : "succeeded",
        metadata: (body.metadata as Record<string, string> | undefined) ?? {},
        created: seconds(),
      };
      refunds.set(refund.id, refund);
      return { status: 200, body: refund };
    }
    return stripeError(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path}).`);
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = await startFakeServer(async (request: FakeRequest) => {
    const [path = "/", search = ""] = request.path.split("?");
    const body = parseStripeForm(request.body);
    requests.push({ method: request.method, path, query: parseStripeForm(search), headers: request.headers, body });
    if (hangMs > 0) await sleep(hangMs);
    if (failNext !== undefined && (!failWhen || failWhen(request.method, path))) {
      const status = failNext;
      failNext = undefined;
      failWhen = undefined;
      // An injected failure happens before the idempotency layer: a retry with the same key may succeed.
      return stripeError(status, errorType(status), `fake Stripe: injected failure (${status})`);
    }
    if (request.headers.authorization !== `Bearer ${options.secretKey}`)
      return stripeError(401, "invalid_request_error", "Invalid API Key provided.");
    const key = request.method === "POST" ? request.headers["idempotency-key"] : undefined;
    const slot = typeof key === "string" ? `${request.method} ${path} ${key}` : undefined;
    const earlier = slot ? idempotent.get(slot) : undefined;
    if (earlier && earlier.body !== request.body)
      return stripeError(
        400,
        "idempotency_error",
        "Keys for idempotent requests can only be used with the same parameters they were first used with.",
      );
    if (earlier) return { status: earlier.status, body: earlier.response, headers: { "Idempotent-Replayed": "true" } };
    const answer = route(request.method, path, parseStripeForm(search), body);
    if (slot) idempotent.set(slot, { body: request.body, status: answer.status, response: answer.body });
    return answer;
  });

  const signed = (event: Json, opts: { secret?: string; timestamp?: number } = {}) => {
    const body = JSON.stringify(event, null, 2);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: opts.secret ?? options.webhookSecret,
      timestamp: opts.timestamp,
    });
    return { body, headers: { "stripe-signature": signature } };
  };
  // The event Stripe sends for the session's current state; the state has to fit the kind (pay() before "paid").
  const eventFor = (kind: Exclude<WebhookKind, "ignored" | "refund">, sessionId: string, eventId?: string): Json => {
    const s = sessions.get(sessionId);
    if (!s) throw new Error(`fake Stripe: no checkout session ${sessionId}`);
    const pi = s.payment_intent ? intents.get(s.payment_intent) : undefined;
    const charge = pi?.latest_charge ? charges.get(pi.latest_charge) : undefined;
    const misfit = (state: string) =>
      new Error(`fake Stripe: a "${kind}" webhook for checkout session ${sessionId}, which is ${state}`);
    switch (kind) {
      case "paid":
        if (s.payment_status !== "paid") throw misfit("unpaid");
        return stripeEvent("checkout.session.completed", sessionJson(s), eventId);
      case "failed":
        if (pi?.status !== "requires_payment_method") throw misfit("not declined");
        return stripeEvent("payment_intent.payment_failed", intentJson(pi), eventId);
      case "expired":
        if (s.status !== "expired") throw misfit(s.status);
        return stripeEvent("checkout.session.expired", sessionJson(s), eventId);
      case "refunded":
        if (!charge || charge.amount_refunded === 0) throw misfit("not refunded");
        return stripeEvent("charge.refunded", chargeJson(charge), eventId);
    }
  };

  return {
    url: server.url,
    requests,
    async pay(sessionId) {
      const s = openSession(sessionId);
      const pi = intentFor(s);
      // Stripe copies the intent's metadata onto the charge it makes.
      const charge: Charge = {
        id: id("ch_"),
        amount: s.amount,
        amount_refunded: 0,
        currency: s.currency,
        payment_intent: pi.id,
        metadata: { ...pi.metadata },
      };
      charges.set(charge.id, charge);
      Object.assign(pi, { status: "succeeded", latest_charge: charge.id, last_payment_error: null });
      Object.assign(s, { status: "complete", payment_status: "paid" });
    },
    async decline(sessionId) {
      const pi = intentFor(openSession(sessionId));
      // A card decline leaves the page open for another card; the intent waits for a new payment method.
      Object.assign(pi, {
        status: "requires_payment_method",
        last_payment_error: {
          type: "card_error",
          code: "card_declined",
          decline_code: "generic_decline",
          message: "Your card was declined.",
        },
      });
    },
    amountOf(sessionId) {
      const s = sessions.get(sessionId);
      return s && { amount: s.amount, currency: s.currency.toUpperCase() };
    },
    failNext(status, when) {
      failNext = status;
      failWhen = when;
    },
    hang(ms) {
      hangMs = ms;
    },
    async quiet() {
      while (timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    refundsPending(pending) {
      refundsPending = pending;
    },
    refundWebhook(refundId, status) {
      const refund = refunds.get(refundId);
      if (!refund) throw new Error(`fake Stripe: no refund ${refundId}`);
      if (refund.status === "pending" && status === "failed") {
        // A failed refund gives the charge its money back to refund again.
        const charge = charges.get(String(refund.charge));
        if (charge) charge.amount_refunded -= Number(refund.amount);
      }
      refund.status = status;
      return signed(stripeEvent(status === "failed" ? "refund.failed" : "refund.updated", { ...refund }));
    },
    sessionOf: (paymentId) => [...sessions.values()].find((s) => s.metadata.payment_id === paymentId)?.id,
    signed,
    webhook: (kind, sessionId, opts) => signed(eventFor(kind, sessionId, opts?.eventId)),
    forgedWebhook: (kind, sessionId) =>
      signed(eventFor(kind, sessionId), { secret: `whsec_${randomBytes(16).toString("hex")}` }),
    staleWebhook: (kind, sessionId) => signed(eventFor(kind, sessionId), { timestamp: seconds() - 600 }),
    unrelatedWebhook: () =>
      signed(
        stripeEvent("customer.created", {
          id: id("cus_"),
          object: "customer",
          email: "someone@example.test",
          metadata: {},
        }),
      ),
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await server.close();
    },
  };
}
