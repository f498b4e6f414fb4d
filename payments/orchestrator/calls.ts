// Every call to a provider goes through here: a deadline (PAYMENT_PROVIDER_TIMEOUT_MS), and its latency and outcome
// recorded for the health view. What it throws is always a PaymentProviderError, its kind kept for the orchestrator.
import { type PaymentProvider, paymentProviderCalls } from "../../db/schema";
import { PaymentProviderError, type ProviderErrorKind } from "../provider";
import type { PaymentDeps } from "./deps";

/** The provider did not answer in time: treated like a failure, though the call may still land at the provider. */
export class ProviderTimeoutError extends PaymentProviderError {
  override name = "ProviderTimeoutError";
  constructor(message: string) {
    super(message, { kind: "timeout" });
  }
}

/**
 * A failed step as a subscriber's perform hands it to its handle: the text that goes into reasons and audit entries
 * as before, and the kind when a provider call failed (null for anything else, a queue that could not arm a timer).
 */
export interface CallFailure {
  message: string;
  kind: ProviderErrorKind | null;
}

export const failureOf = (error: unknown): CallFailure => ({
  message: error instanceof Error ? error.message : String(error),
  kind: error instanceof PaymentProviderError ? error.kind : null,
});

export async function callProvider<T>(
  deps: Pick<PaymentDeps, "db" | "timeoutMs" | "logger">,
  slot: PaymentProvider,
  operation: string,
  call: () => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ProviderTimeoutError(`${slot} did not answer ${operation} within ${deps.timeoutMs} ms`)),
      deps.timeoutMs,
    );
  });
  let outcome: "ok" | "error" | "timeout" = "ok";
  try {
    return await Promise.race([call(), deadline]);
  } catch (error) {
    outcome = error instanceof ProviderTimeoutError ? "timeout" : "error";
    // An adapter that threw something else stumbled over what the provider answered.
    throw error instanceof PaymentProviderError
      ? error
      : new PaymentProviderError(
          `${slot} ${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
          { kind: "server_error", cause: error },
        );
  } finally {
    clearTimeout(timer);
    const durationMs = Math.round(performance.now() - started);
    await deps.db
      .insert(paymentProviderCalls)
      .values({ provider: slot, operation, durationMs, outcome })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "recording a provider call failed"));
  }
}
