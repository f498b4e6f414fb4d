// The providers configured for this hub, one per `payment_provider` slot; the order they are tried in (rule 6).
import type { PaymentProvider } from "../db/schema";
import type { Env } from "../hub/env";
import { manualPaymentAdapter } from "./manual/adapter";
import type { PaymentProviderAdapter, ProviderCapabilities } from "./provider";
import { checkoutProvider } from "./secondary/checkout";
import { revolutProvider } from "./secondary/revolut";
import { stripeProvider } from "./stripe";

/**
 * The slots the settings fill. `manual` is always there (payments/manual/adapter.ts): a bank transfer with a proof and
 * a manager's approval needs no outside service.
 */
export type OnlineSlot = Exclude<PaymentProvider, "manual">;
export type PaymentProviders = { [S in OnlineSlot]: PaymentProviderAdapter | null };

/** Stripe first, the secondary next, manual last. */
export const FAILOVER_ORDER: readonly PaymentProvider[] = ["stripe", "secondary", "manual"];

/** `now` is the hub's clock: Stripe's and Revolut's webhook signatures are timed against it. */
export function createPaymentProviders(
  env: Env,
  returnUrl: string,
  now: () => Date = () => new Date(),
): PaymentProviders {
  const timeoutMs = env.PAYMENT_PROVIDER_TIMEOUT_MS;
  const stripe =
    env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
      ? stripeProvider({
          secretKey: env.STRIPE_SECRET_KEY,
          webhookSecret: env.STRIPE_WEBHOOK_SECRET,
          apiUrl: env.STRIPE_API_URL,
          timeoutMs,
          returnUrl,
          now,
        })
      : null;
  let secondary: PaymentProviderAdapter | null = null;
  if (env.SECONDARY_PROVIDER === "revolut" && env.REVOLUT_API_KEY) {
    secondary = revolutProvider({
      apiKey: env.REVOLUT_API_KEY,
      webhookSecrets: env.REVOLUT_WEBHOOK_SECRET,
      apiUrl: env.REVOLUT_API_URL,
      apiVersion: env.REVOLUT_API_VERSION,
      timeoutMs,
      now,
    });
  }
  if (
    env.SECONDARY_PROVIDER === "checkout" &&
    env.CHECKOUT_SECRET_KEY &&
    env.CHECKOUT_WEBHOOK_SECRET &&
    env.CHECKOUT_PROCESSING_CHANNEL_ID
  ) {
    secondary = checkoutProvider({
      secretKey: env.CHECKOUT_SECRET_KEY,
      webhookSecret: env.CHECKOUT_WEBHOOK_SECRET,
      processingChannelId: env.CHECKOUT_PROCESSING_CHANNEL_ID,
      apiUrl: env.CHECKOUT_API_URL,
      timeoutMs,
      returnUrl,
    });
  }
  return { stripe, secondary };
}

/** The first slot after `after` (or the first of all) that is configured; manual when no online one is left. */
export function nextProvider(providers: PaymentProviders, after?: PaymentProvider): PaymentProvider | null {
  const from = after === undefined ? 0 : FAILOVER_ORDER.indexOf(after) + 1;
  for (const slot of FAILOVER_ORDER.slice(from)) if (adapterFor(providers, slot)) return slot;
  return null;
}

/** The adapter filling a slot: manual's is always there; null for an online slot not configured. */
export const adapterFor = (providers: PaymentProviders, slot: PaymentProvider): PaymentProviderAdapter | null =>
  slot === "manual" ? manualPaymentAdapter : providers[slot];

export const adapterName = (providers: PaymentProviders, slot: PaymentProvider) =>
  adapterFor(providers, slot)?.name ?? slot;

/** The slots whose adapter cannot do `what`: an online slot not configured is not among them (nothing to ask). */
export const slotsWithout = (providers: PaymentProviders, what: keyof ProviderCapabilities): PaymentProvider[] =>
  FAILOVER_ORDER.filter((slot) => adapterFor(providers, slot)?.capabilities[what] === false);
