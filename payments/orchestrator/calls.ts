// Every call to a provider goes through here: a deadline (PAYMENT_PROVIDER_TIMEOUT_MS), and its latency and outcome
// recorded for the health view.
import type { PaymentProvider } from "../../db/schema";
import { paymentProviderCalls } from "../../db/schema";
import { PaymentProviderError } from "../provider";
import type { PaymentDeps } from "./deps";

/** The provider did not answer in time: treated like a failure, though the call may still land at the provider. */
export class ProviderTimeoutError extends PaymentProviderError {
  override name = "ProviderTimeoutError";
}

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
    throw error instanceof PaymentProviderError
      ? error
      : new PaymentProviderError(
          `${slot} ${operation} failed: ${error instanceof Error ? error.message : String(error)}`,
          undefined,
          { cause: error },
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
