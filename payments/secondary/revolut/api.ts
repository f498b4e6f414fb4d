// A thin client for the Revolut Merchant API (no official Node SDK exists): Bearer secret key, the
// Revolut-Api-Version header on every call, a hard timeout, and every failure turned into a PaymentProviderError
// carrying Revolut's own error text (Error-v2: { code, message?, timestamp }).
import { answeredError, PaymentProviderError, type RemoteStatus } from "../../provider";

export type RevolutOrderState = "pending" | "processing" | "authorised" | "completed" | "cancelled" | "failed";

/** The fields of Revolut's Order object the adapter reads (Order-v7 in the OpenAPI spec). */
export interface RevolutOrder {
  id: string;
  token?: string;
  /** `payment` for a checkout; a refund is its own order of type `refund` pointing back via related_order_id. */
  type?: string;
  state: RevolutOrderState;
  amount: number;
  currency: string;
  /** Minor units refunded so far, on the original (payment) order. */
  refunded_amount?: number;
  checkout_url?: string;
  related_order_id?: string;
  merchant_order_data?: { reference?: string };
  metadata?: Record<string, string>;
  /** Every payment attempt, successful or not. */
  payments?: { id: string; state: string }[];
}

export interface RevolutApiSettings {
  apiKey: string;
  apiUrl: string;
  apiVersion: string;
  timeoutMs: number;
}

export type RevolutRequest = <T>(
  method: "GET" | "POST",
  path: string,
  options?: { body?: unknown; idempotencyKey?: string },
) => Promise<T>;

export function revolutApi(settings: RevolutApiSettings): RevolutRequest {
  const base = settings.apiUrl.replace(/\/+$/, "");
  return async <T>(method: "GET" | "POST", path: string, options: { body?: unknown; idempotencyKey?: string } = {}) => {
    const what = `Revolut ${method} ${path.split("?")[0]}`;
    const headers: Record<string, string> = {
      Authorization: `Bearer ${settings.apiKey}`,
      "Revolut-Api-Version": settings.apiVersion,
      Accept: "application/json",
    };
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.idempotencyKey) headers["Idempotency-Key"] = options.idempotencyKey;
    let response: Response;
    let text: string;
    const signal = AbortSignal.timeout(settings.timeoutMs);
    const send = () =>
      fetch(`${base}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal,
      });
    try {
      try {
        response = await send();
      } catch (error) {
        // A kept-alive connection the other side dropped fails before anything was sent: a read is safe to send once
        // more, within the same deadline, as stripe-node retries its network errors.
        if (method !== "GET" || isTimeout(error)) throw error;
        response = await send();
      }
      // The body is read under the same signal: a server that sends headers and then stalls is still cut off.
      text = await response.text();
    } catch (error) {
      const timedOut = isTimeout(error);
      const reason = timedOut
        ? `no answer within ${settings.timeoutMs} ms`
        : `network error: ${describeNetworkError(error)}`;
      throw new PaymentProviderError(`${what}: ${reason}`, {
        kind: timedOut ? "timeout" : "unreachable",
        cause: error,
      });
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      const detail = describeError(parsed) ?? (text.slice(0, 200) || response.statusText);
      throw answeredError(`${what} failed with HTTP ${response.status}: ${detail}`, response.status);
    }
    if (parsed === undefined)
      throw new PaymentProviderError(`${what}: answer is not JSON`, { kind: "server_error", status: response.status });
    return parsed as T;
  };
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeError(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { code, message } = body as { code?: unknown; message?: unknown };
  if (code === undefined && message === undefined) return undefined;
  return [code, message].filter((part) => part !== undefined && part !== "").join(": ");
}

/**
 * The hub's view of an order. A refund does not change the order's state (it stays `completed`); Revolut reports it
 * in refunded_amount, so a completed order refunded in full is `refunded`. An order that expire_pending_after ran
 * out moves to `failed` with no payment attempt at all: that is an expired page, not a declined payment.
 */
export function remoteStatusOf(order: RevolutOrder): RemoteStatus {
  switch (order.state) {
    case "completed":
      return order.amount > 0 && (order.refunded_amount ?? 0) >= order.amount ? "refunded" : "paid";
    case "failed":
      return (order.payments?.length ?? 0) === 0 ? "expired" : "failed";
    case "cancelled":
      return "expired";
    default:
      // pending, processing, authorised (and any state Revolut adds later): not final yet.
      return "open";
  }
}

const isTimeout = (error: unknown) =>
  error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");

/** fetch's "fetch failed" with what underneath failed (a refused connection, a reset), which is what tells them apart. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause ? ` ${String(cause.code)}` : "";
  return cause ? `${error.message} (${cause.message}${code})` : error.message;
}
