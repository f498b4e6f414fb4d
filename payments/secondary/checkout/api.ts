// Checkout.com through its official SDK (checkout-sdk-node 5.x): how the SDK is built, the four calls the adapter
// makes, a hard deadline on each, and every SDK failure turned into a PaymentProviderError.
import { Checkout, PaymentLinks } from "checkout-sdk-node";
import { answeredError, PaymentProviderError } from "../../provider";

export interface CheckoutApiSettings {
  secretKey: string;
  /** Unset: the SDK's own choice of sandbox or live from the key's shape. Set: the SDK's `host` (a proxy, a fake). */
  apiUrl?: string;
  /** The merchant-specific subdomain (first 8 characters of the client id) the SDK asks for when apiUrl is unset. */
  subdomain?: string;
  timeoutMs: number;
}

/** The fields of a Payment Link (POST and GET /payment-links) the adapter reads. */
export interface CheckoutLink {
  id: string;
  /** GET only: "Active" | "Payment Received" | "Expired". */
  status?: string;
  reference?: string;
  expires_on?: string;
  _links?: { redirect?: { href?: string } };
}

/** The fields of a payment (GET /payments?reference=…) the adapter reads. */
export interface CheckoutPayment {
  id: string;
  status?: string;
  amount?: number;
  reference?: string;
  requested_on?: string;
  balances?: { total_refunded?: number };
}

export interface CheckoutApi {
  createLink(body: Record<string, unknown>, idempotencyKey: string): Promise<CheckoutLink>;
  getLink(id: string): Promise<CheckoutLink>;
  /** Newest first. */
  paymentsByReference(reference: string): Promise<CheckoutPayment[]>;
  refund(paymentId: string, body: Record<string, unknown>, idempotencyKey: string): Promise<{ action_id: string }>;
}

export function checkoutApi(settings: CheckoutApiSettings): CheckoutApi {
  // The SDK reads CKO_SECRET / CKO_SECRET_KEY from the environment before the key it is given: keep them unset.
  const sdk = new Checkout(settings.secretKey, {
    timeout: settings.timeoutMs,
    // The default fetch client never applies `timeout`; the axios one does (as a socket idle timeout).
    httpClient: "axios",
    // A host replaces the base URL outright. Without one the SDK insists on the subdomain, or on an explicit opt-out
    // to the shared api(.sandbox).checkout.com hosts (deprecated by the SDK, still served).
    ...(settings.apiUrl
      ? { host: settings.apiUrl.replace(/\/+$/, "") }
      : settings.subdomain
        ? { subdomain: settings.subdomain }
        : { useLegacyDomain: true }),
  });
  const call = <T>(what: string, run: () => Promise<unknown>, read: (body: unknown) => T) =>
    withDeadline(what, settings.timeoutMs, run, read);

  return {
    createLink: (body, idempotencyKey) =>
      // paymentLinks.create takes no idempotency key, but every call sends the config's headers: a per-call client
      // over the same config carries it. Checkout.com does not list /payment-links among its idempotent endpoints
      // (see checkout.ts), so it is sent for the day it does, not relied on.
      call(
        "create payment link",
        () =>
          new PaymentLinks({
            ...sdk.config,
            headers: { ...sdk.config.headers, "Cko-Idempotency-Key": idempotencyKey },
          }).create(body),
        readLink,
      ),
    getLink: (id) => call("get payment link", () => sdk.paymentLinks.get(encodeURIComponent(id)), readLink),
    paymentsByReference: (reference) =>
      // The SDK joins query values unescaped.
      call(
        "list payments",
        () => sdk.payments.getPaymentList({ reference: encodeURIComponent(reference) }),
        readPayments,
      ),
    refund: (paymentId, body, idempotencyKey) =>
      call(
        "refund payment",
        () => sdk.payments.refund(encodeURIComponent(paymentId), body, idempotencyKey),
        (raw) => {
          const actionId = (raw as { action_id?: unknown } | null)?.action_id;
          if (typeof actionId !== "string")
            throw new PaymentProviderError("Checkout.com accepted a refund without an action_id", {
              kind: "server_error",
            });
          return { ...(raw as object), action_id: actionId };
        },
      ),
  };
}

function readLink(raw: unknown): CheckoutLink {
  const link = raw as CheckoutLink | null;
  if (typeof link?.id !== "string")
    throw new PaymentProviderError("Checkout.com answered a payment link call without an id", { kind: "server_error" });
  return link;
}

function readPayments(raw: unknown): CheckoutPayment[] {
  const data = (raw as { data?: unknown } | null)?.data ?? [];
  if (!Array.isArray(data))
    throw new PaymentProviderError("Checkout.com answered a payment list without a data array", {
      kind: "server_error",
    });
  const payments = data.filter((p): p is CheckoutPayment => typeof (p as CheckoutPayment | null)?.id === "string");
  // Documented newest first; sorted again so the choice never rests on that.
  return payments.sort((a, b) => (b.requested_on ?? "").localeCompare(a.requested_on ?? ""));
}

/**
 * The axios timeout only fires when the socket is idle, so a server trickling bytes could hold a call for ever: the
 * same budget is also enforced over the whole call.
 */
async function withDeadline<T>(
  what: string,
  timeoutMs: number,
  run: () => Promise<unknown>,
  read: (body: unknown) => T,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new PaymentProviderError(`Checkout.com ${what}: no answer within ${timeoutMs} ms`, { kind: "timeout" })),
      timeoutMs,
    );
  });
  let body: unknown;
  try {
    body = await Promise.race([run(), deadline]);
  } catch (error) {
    throw toProviderError(what, error, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
  return read(body);
}

/**
 * The SDK's error classes (ApiError, ValidationError, ApiTimeout, …) all carry http_code and body; none is exported.
 * Exported for its unit test.
 */
export function toProviderError(what: string, error: unknown, timeoutMs: number): PaymentProviderError {
  if (error instanceof PaymentProviderError) return error;
  const e = (error ?? {}) as { name?: unknown; http_code?: unknown; body?: unknown; message?: unknown };
  // ApiTimeout says 408, but nothing answered: no status.
  if (e.name === "ApiTimeout")
    return new PaymentProviderError(`Checkout.com ${what}: no answer within ${timeoutMs} ms`, {
      kind: "timeout",
      cause: error,
    });
  const status = typeof e.http_code === "number" && e.http_code > 0 ? e.http_code : undefined;
  const message = `Checkout.com ${what} failed${status ? ` with ${status}` : ""}: ${detailOf(e.body ?? e.message)}`;
  // No status: the SDK never had an answer (a refused connection, a reset).
  return status === undefined
    ? new PaymentProviderError(message, { kind: "unreachable", cause: error })
    : answeredError(message, status, error);
}

/**
 * Checkout.com's error body is { request_id, error_type, error_codes[] }; a network failure's is the SDK's sentence.
 */
function detailOf(body: unknown): string {
  if (typeof body === "string" && body) return body;
  const { error_type, error_codes } = (body ?? {}) as { error_type?: unknown; error_codes?: unknown };
  const codes = Array.isArray(error_codes) ? error_codes.join(", ") : "";
  return [typeof error_type === "string" ? error_type : "", codes].filter(Boolean).join(": ") || "no details";
}
