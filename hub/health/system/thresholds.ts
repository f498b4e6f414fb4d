// Where each System Health widget turns warn or critical: defaults in hub/env.ts, explained in docs/operations.md.
import type { Env } from "../../env";

export interface HealthThresholds {
  /** A payment slot's 24 h success rate below this is warn, below the critical one critical. */
  paymentSuccessWarn: number;
  paymentSuccessCritical: number;
  /** A payment slot's API p95 latency above this is warn. */
  paymentLatencyWarnMs: number;
  /** A slot that took attempts in the last 24 h but whose last verified webhook is older than this: warn. */
  paymentWebhookSilenceMs: number;
  /** Refused signatures in 24 h from one sender: warn at this many, critical at the other. */
  webhookRejectionsWarn: number;
  webhookRejectionsCritical: number;
  /** The oldest due job not taken (or event not published) this long: warn, then critical. */
  queueLagWarnMs: number;
  queueLagCriticalMs: number;
  /** An open SLA breach overdue this long: critical (any open breach is warn). */
  slaOverdueCriticalMs: number;
}

export function healthThresholds(env: Env): HealthThresholds {
  return {
    paymentSuccessWarn: env.HEALTH_PAYMENT_SUCCESS_WARN,
    paymentSuccessCritical: env.HEALTH_PAYMENT_SUCCESS_CRITICAL,
    paymentLatencyWarnMs: env.HEALTH_PAYMENT_LATENCY_WARN_MS,
    paymentWebhookSilenceMs: env.HEALTH_PAYMENT_WEBHOOK_SILENCE_MINUTES * 60_000,
    webhookRejectionsWarn: env.HEALTH_WEBHOOK_REJECTIONS_WARN,
    webhookRejectionsCritical: env.HEALTH_WEBHOOK_REJECTIONS_CRITICAL,
    queueLagWarnMs: env.HEALTH_QUEUE_LAG_WARN_SECONDS * 1000,
    queueLagCriticalMs: env.HEALTH_QUEUE_LAG_CRITICAL_SECONDS * 1000,
    slaOverdueCriticalMs: env.HEALTH_SLA_OVERDUE_CRITICAL_MINUTES * 60_000,
  };
}
