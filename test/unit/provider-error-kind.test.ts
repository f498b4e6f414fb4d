// A provider's failure keeps its kind: refused (4xx), server_error (5xx or an unusable answer), unreachable (no
// answer), timeout. Each adapter's own mapping, without a network.
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { failureOf, ProviderTimeoutError } from "../../payments/orchestrator/calls";
import { answeredError, kindOfAnswer, PaymentProviderError } from "../../payments/provider";
import { toProviderError } from "../../payments/secondary/checkout/api";
import { stripeFailure } from "../../payments/stripe";

describe("provider error kinds", () => {
  it("reads an HTTP answer: 4xx refused, anything else server_error", () => {
    expect([400, 401, 404, 409, 422, 499].map(kindOfAnswer)).toEqual(Array(6).fill("refused"));
    expect([500, 502, 503, 504, 200, 302].map(kindOfAnswer)).toEqual(Array(6).fill("server_error"));
    expect(answeredError("no", 404)).toMatchObject({ kind: "refused", status: 404, message: "no" });
  });

  it("maps Stripe's errors: a status by its class, a connection error as unreachable or (ETIMEDOUT) timeout", () => {
    const answered = new Stripe.errors.StripeInvalidRequestError({ message: "No such session", statusCode: 404 });
    expect(stripeFailure("retrieve", answered)).toMatchObject({ kind: "refused", status: 404 });
    const down = new Stripe.errors.StripeAPIError({ message: "Stripe is down", statusCode: 503 });
    expect(stripeFailure("retrieve", down)).toMatchObject({ kind: "server_error", status: 503 });
    const reset = new Stripe.errors.StripeConnectionError({ message: "connection", detail: { code: "ECONNRESET" } });
    expect(stripeFailure("retrieve", reset)).toMatchObject({ kind: "unreachable", status: undefined });
    const slow = new Stripe.errors.StripeConnectionError({ message: "timeout", detail: { code: "ETIMEDOUT" } });
    expect(stripeFailure("retrieve", slow)).toMatchObject({ kind: "timeout", status: undefined });
    const odd = stripeFailure("retrieve", new TypeError("cannot read properties of undefined"));
    expect(odd).toMatchObject({
      kind: "server_error",
      message: "Stripe retrieve failed: cannot read properties of undefined",
    });
  });

  it("maps Checkout.com's SDK errors: http_code by its class, ApiTimeout as timeout, none as unreachable", () => {
    const refused = toProviderError("get payment link", { name: "AuthenticationError", http_code: 401 }, 1000);
    expect(refused).toMatchObject({ kind: "refused", status: 401 });
    const failed = toProviderError("get payment link", { name: "ApiError", http_code: 500, body: "boom" }, 1000);
    expect(failed).toMatchObject({ kind: "server_error", status: 500 });
    const slow = toProviderError("get payment link", { name: "ApiTimeout", http_code: 408 }, 1000);
    expect(slow).toMatchObject({ kind: "timeout", status: undefined });
    const down = toProviderError("get payment link", new Error("connect ECONNREFUSED 127.0.0.1:9"), 1000);
    expect(down).toMatchObject({ kind: "unreachable", status: undefined });
  });

  it("keeps the kind through to the orchestrator, with the message it always had", () => {
    expect(failureOf(new ProviderTimeoutError("stripe did not answer create within 10 ms"))).toEqual({
      message: "stripe did not answer create within 10 ms",
      kind: "timeout",
    });
    expect(
      failureOf(new PaymentProviderError("Revolut GET /api/orders: network error", { kind: "unreachable" })),
    ).toEqual({ message: "Revolut GET /api/orders: network error", kind: "unreachable" });
    expect(failureOf(new Error("the queue is down"))).toEqual({ message: "the queue is down", kind: null });
  });
});
