// What the failover orchestrator works with; built once in the composition root.
import type { HubContext } from "../../hub/core/context";
import type { PaymentProviders } from "../registry";

/** The hub's context (its `wake` publishes a payment change's events at once) and the payments' own settings. */
export interface PaymentDeps extends Pick<HubContext, "db" | "jobs" | "logger" | "now" | "wake" | "observe"> {
  providers: PaymentProviders;
  /** A provider call slower than this counts as a failure (PAYMENT_PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
  /** An attempt with no webhook this long is asked about, then switched (PAYMENT_WEBHOOK_TIMEOUT_MINUTES). */
  webhookTimeoutMs: number;
  /** How long a checkout page takes payment (PAYMENT_LINK_MINUTES). */
  linkMs: number;
  /** Where customers reach the hub: PUBLIC_URL, else this host and port. */
  publicUrl: string;
  /** MANUAL_PAYMENT_INSTRUCTIONS, with {{reference}} and {{amount}}. */
  manualInstructions: string;
  /** Staff hear of payments through the Telegram bot: with it off, no notice is queued (the tasks stay). */
  telegramConnected: () => boolean;
}

export const payLinkOf = (deps: Pick<PaymentDeps, "publicUrl">, token: string) =>
  `${deps.publicUrl.replace(/\/+$/, "")}/pay/${token}`;
