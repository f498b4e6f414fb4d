// A fake Checkout.com API on loopback, in memory: exactly the endpoints checkout-sdk-node calls for the adapter
// (POST /payment-links, GET /payment-links/{id}, GET /payments?reference=, POST /payments/{id}/refunds), shaped like
// the real ones, plus webhooks signed the way Checkout.com signs them (Cko-Signature, hex HMAC-SHA256 of the body).
import { randomBytes } from "node:crypto";
import { ckoSignature } from "../../../payments/secondary/checkout";
import type { Headers, WebhookKind } from "../../../payments/provider";
import { startFakeServer, type FakeRequest, type FakeServer } from "./server";
import type { ProviderFake } from "../payments/contract";

interface Link {
  id: string;
  status: "Active" | "Payment Received" | "Expired";
  amount: number;
  currency: string;
  reference: string;
  description?: string;
  metadata: Record<string, unknown>;
  return_url?: string;
  processing_channel_id?: string;
  expires_on: string;
  created_on: string;
}

interface Payment {
  id: string;
  link: string;
  status: "Captured" | "Declined" | "Partially Refunded" | "Refunded";
  amount: number;
  currency: string;
  reference: string;
  metadata: Record<string, unknown>;
  requested_on: string;
  refunded: number;
  lastRefund?: { action_id: string; amount: number };
}

export interface FakeCheckout extends ProviderFake {
  url: string;
  requests: FakeRequest[];
  /** Every later request waits this long before it is answered (0: answer at once again). */
  hang(ms: number): void;
  /** The link runs out now (Checkout.com would do it at expires_on). */
  expire(linkId: string): void;
  close(): Promise<void>;
}

type Kind = Exclude<WebhookKind, "ignored" | "refund">;
type Answer = { status: number; body?: unknown };

// Checkout.com ids are a prefix and 26 base32 characters.
const id = (prefix: string) =>
  `${prefix}_${[...randomBytes(26)].map((b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;
const invalid = (...codes: string[]): Answer => ({
  status: 422,
  body: { request_id: id("req"), error_type: "request_invalid", error_codes: codes },
});

export async function startFakeCheckout(options: { secretKey: string; webhookSecret: string }): Promise<FakeCheckout> {
  const links = new Map<string, Link>();
  const payments = new Map<string, Payment>();
  // Idempotent results by endpoint and key, as Checkout.com keeps them for refunds (not for /payment-links).
  const replays = new Map<string, Answer>();
  let failNext: number | null = null;
  let hangMs = 0;
  let server: FakeServer;

  const linkOf = (linkId: string) => {
    const link = links.get(linkId);
    if (!link) throw new Error(`fake Checkout.com: no payment link ${linkId}`);
    if (link.status === "Active" && Date.parse(link.expires_on) <= Date.now()) link.status = "Expired";
    return link;
  };
  const paymentsOf = (linkId: string) => [...payments.values()].filter((p) => p.link === linkId).reverse();
  const paymentView = (p: Payment) => ({
    id: p.id,
    requested_on: p.requested_on,
    amount: p.amount,
    currency: p.currency,
    payment_type: "Regular",
    reference: p.reference,
    status: p.status,
    approved: p.status !== "Declined",
    balances: {
      total_authorized: p.status === "Declined" ? 0 : p.amount,
      total_captured: p.status === "Declined" ? 0 : p.amount,
      total_refunded: p.refunded,
      available_to_refund: p.status === "Declined" ? 0 : p.amount - p.refunded,
    },
    metadata: p.metadata,
    _links: { self: { href: `${server.url}/payments/${p.id}` } },
  });
  const linkView = (l: Link) => ({
    id: l.id,
    status: l.status,
    expires_on: l.expires_on,
    created_on: l.created_on,
    amount: l.amount,
    currency: l.currency,
    reference: l.reference,
    description: l.description,
    metadata: l.metadata,
    return_url: l.return_url,
    _links: {
      self: { href: `${server.url}/payment-links/${l.id}` },
      redirect: { href: `https://pay.sandbox.checkout.com/link/${l.id}` },
    },
  });

  function createLink(body: Record<string, unknown>): Answer {
    const { amount, currency, expires_in } = body;
    const billing = body.billing as { address?: { country?: unknown } } | undefined;
    if (!Number.isInteger(amount) || (amount as number) <= 0) return invalid("amount_invalid");
    if (typeof currency !== "string" || !/^[A-Z]{3}$/.test(currency)) return invalid("currency_invalid");
    if (typeof billing?.address?.country !== "string") return invalid("billing_address_country_required");
    if (
      expires_in !== undefined &&
      (!Number.isInteger(expires_in) || (expires_in as number) < 1 || (expires_in as number) > 5_184_000)
    )
      return invalid("expires_in_invalid");
    const link: Link = {
      id: id("pl"),
      status: "Active",
      amount: amount as number,
      currency,
      reference: String(body.reference ?? ""),
      description: body.description as string | undefined,
      metadata: (body.metadata as Record<string, unknown> | undefined) ?? {},
      return_url: body.return_url as string | undefined,
      processing_channel_id: body.processing_channel_id as string | undefined,
      expires_on: new Date(Date.now() + ((expires_in as number | undefined) ?? 86_400) * 1000).toISOString(),
      created_on: new Date().toISOString(),
    };
    links.set(link.id, link);
    const { id: linkId, expires_on, reference, _links } = linkView(link);
    return { status: 201, body: { id: linkId, expires_on, reference, _links } };
  }

  function refund(paymentId: string, body: Record<string, unknown>): Answer {
    const payment = payments.get(paymentId);
    if (!payment) return { status: 404 };
    const amount = body.amount ?? payment.amount - payment.refunded;
    if (payment.status === "Declined")
      return { status: 403, body: { request_id: id("req"), error_type: "action_not_allowed" } };
    if (!Number.isInteger(amount) || (amount as number) <= 0 || (amount as number) > payment.amount - payment.refunded)
      return invalid("refund_amount_exceeds_balance");
    // Processed at once here; the real acquirer answers later, with payment_refunded.
    payment.refunded += amount as number;
    payment.status = payment.refunded === payment.amount ? "Refunded" : "Partially Refunded";
    payment.lastRefund = { action_id: id("act"), amount: amount as number };
    return {
      status: 202,
      body: {
        action_id: payment.lastRefund.action_id,
        reference: body.reference,
        _links: { payment: { href: `${server.url}/payments/${paymentId}` } },
      },
    };
  }

  function route(request: FakeRequest): Answer {
    const url = new URL(request.path, "http://fake");
    const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    const linkMatch = /^\/payment-links\/([^/]+)$/.exec(url.pathname);
    const refundMatch = /^\/payments\/([^/]+)\/refunds$/.exec(url.pathname);
    if (request.method === "POST" && url.pathname === "/payment-links") return createLink(body);
    if (request.method === "GET" && linkMatch) {
      const link = links.get(decodeURIComponent(linkMatch[1]!));
      return link ? { status: 200, body: linkView(linkOf(link.id)) } : { status: 404 };
    }
    if (request.method === "GET" && url.pathname === "/payments") {
      const reference = url.searchParams.get("reference");
      if (!reference) return invalid("reference_required");
      const found = [...payments.values()]
        .filter((p) => p.reference === reference)
        .reverse()
        .map(paymentView);
      return { status: 200, body: { limit: 10, skip: 0, total_count: found.length, data: found } };
    }
    if (request.method === "POST" && refundMatch) {
      const paymentId = decodeURIComponent(refundMatch[1]!);
      const key = request.headers["cko-idempotency-key"];
      const replayKey = typeof key === "string" ? `refund:${paymentId}:${key}` : null;
      const replay = replayKey ? replays.get(replayKey) : undefined;
      if (replay) return replay;
      const answer = refund(paymentId, body);
      // Only a request that was processed is kept: a failed one is tried again (as Checkout.com documents).
      if (replayKey && answer.status < 300) replays.set(replayKey, answer);
      return answer;
    }
    return { status: 404 };
  }

  server = await startFakeServer(async (request) => {
    if (hangMs > 0) await new Promise((resolve) => setTimeout(resolve, hangMs).unref());
    // The SDK sends NAS keys (sk_sbox_…) as "Bearer sk_…" and older keys bare: Checkout.com takes either.
    const auth = request.headers.authorization;
    if (auth !== `Bearer ${options.secretKey}` && auth !== options.secretKey) return { status: 401 };
    if (failNext !== null) {
      const status = failNext;
      failNext = null;
      return { status, body: { request_id: id("req"), error_type: "processing_error", error_codes: ["fake_failure"] } };
    }
    const answer = route(request);
    return {
      status: answer.status,
      body: answer.body,
      headers: { "Cko-Request-Id": id("req"), "Cko-Version": "1.0.0" },
    };
  });

  function addPayment(linkId: string, status: "Captured" | "Declined"): Payment {
    const link = linkOf(linkId);
    if (link.status !== "Active") throw new Error(`fake Checkout.com: payment link ${linkId} is ${link.status}`);
    const payment: Payment = {
      id: id("pay"),
      link: link.id,
      status,
      amount: link.amount,
      currency: link.currency,
      reference: link.reference,
      metadata: link.metadata,
      requested_on: new Date().toISOString(),
      refunded: 0,
    };
    payments.set(payment.id, payment);
    if (status === "Captured") link.status = "Payment Received";
    return payment;
  }

  function event(kind: Kind, linkId: string, eventId: string = id("evt")): string {
    const link = linkOf(linkId);
    const all = paymentsOf(linkId);
    const find = (status: Payment["status"][]) => {
      const payment = all.find((p) => status.includes(p.status));
      if (!payment)
        throw new Error(`fake Checkout.com: link ${linkId} has no ${status.join("/")} payment for a "${kind}" webhook`);
      return payment;
    };
    const payment =
      kind === "paid"
        ? find(["Captured", "Partially Refunded", "Refunded"])
        : kind === "refunded"
          ? find(["Partially Refunded", "Refunded"])
          : kind === "failed"
            ? find(["Declined"])
            : null;
    // payment_expired is about a payment that was started (an APM redirect) and never completed: one made up here.
    const payId = payment?.id ?? id("pay");
    const type = {
      paid: "payment_captured",
      failed: "payment_declined",
      expired: "payment_expired",
      refunded: "payment_refunded",
    }[kind];
    const amount = kind === "refunded" ? payment!.lastRefund!.amount : link.amount;
    return JSON.stringify({
      id: eventId,
      source: "gateway",
      type,
      timestamp: new Date().toISOString(),
      version: "1.0.29",
      data: {
        id: payId,
        action_id: kind === "refunded" ? payment!.lastRefund!.action_id : id("act"),
        reference: link.reference,
        amount,
        currency: link.currency,
        processed_on: new Date().toISOString(),
        ...(kind === "paid" || kind === "refunded" ? { response_code: "10000", response_summary: "Approved" } : {}),
        ...(kind === "failed" ? { response_code: "20051", response_summary: "Insufficient Funds" } : {}),
        metadata: link.metadata,
        // Not documented for Checkout.com's payment events (the adapter does not read it): here so the contract's
        // tamper test finds the provider's id in the body to alter.
        payment_link_id: link.id,
        event_links: { payment: `${server.url}/payments/${payId}` },
      },
      _links: {
        self: { href: `${server.url}/events/${eventId}` },
        subject: { href: `${server.url}/workflows/events/subject/${payId}` },
      },
    });
  }

  const signed = (body: string, key: string): { body: string; headers: Headers } => ({
    body,
    headers: { "Cko-Signature": ckoSignature(body, key), "Content-Type": "application/json" },
  });

  return {
    url: server.url,
    requests: server.requests,
    close: () => server.close(),
    hang(ms) {
      hangMs = ms;
    },
    expire(linkId) {
      const link = linkOf(linkId);
      link.expires_on = new Date(Date.now() - 1000).toISOString();
      linkOf(linkId);
    },
    async pay(linkId) {
      addPayment(linkId, "Captured");
    },
    async decline(linkId) {
      addPayment(linkId, "Declined");
    },
    amountOf(linkId) {
      const link = links.get(linkId);
      return link ? { amount: link.amount, currency: link.currency } : undefined;
    },
    failNext(status) {
      failNext = status;
    },
    webhook: (kind, linkId, opts) => signed(event(kind, linkId, opts?.eventId), options.webhookSecret),
    forgedWebhook: (kind, linkId) => signed(event(kind, linkId), `${options.webhookSecret}-not-the-hubs`),
    // Cko-Signature has no timestamp: nothing can be stale.
    staleWebhook: undefined,
    unrelatedWebhook() {
      const disputeId = id("dsp");
      return signed(
        JSON.stringify({
          id: id("evt"),
          source: "gateway",
          type: "dispute_evidence_required",
          timestamp: new Date().toISOString(),
          version: "1.0.29",
          data: {
            id: disputeId,
            payment_id: id("pay"),
            amount: 1500,
            currency: "GBP",
            reason: "fraudulent",
            evidence_required_by: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          },
          _links: { self: { href: `${server.url}/events/${disputeId}` } },
        }),
        options.webhookSecret,
      );
    },
  };
}
