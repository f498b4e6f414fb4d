// What the failover orchestrator works with; built once in the composition root.
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import type { JobDriver } from "../../hub/core/jobs/driver";
import type { PaymentProviders } from "../registry";

export interface PaymentDeps {
  db: Database;
  jobs: JobDriver;
  logger: Logger;
  now: () => Date;
  /** The relay's wake-up: events written by a payment change are published at once. */
  afterCommit: () => void;
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
