// The stripe and secondary widgets: is the slot configured, are its attempts paid, is its API quick, do its
// webhooks still come, and does it hold bookings because the one before it failed.
import type { HealthThresholds } from "./thresholds";
import { type Finding, judge, readableDuration, type Widget } from "./widget";

export interface PaymentFigures {
  configured: boolean;
  name: string;
  /** Paid among the last 24 h's attempts that ended; null with none. */
  success_rate: number | null;
  attempts_24h: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  since_last_webhook_ms: number | null;
  open_failovers: number;
}

export function paymentWidget(slot: string, f: PaymentFigures, t: HealthThresholds): Widget<PaymentFigures> {
  const thresholds = {
    success_rate_warn: t.paymentSuccessWarn,
    success_rate_critical: t.paymentSuccessCritical,
    latency_p95_warn_ms: t.paymentLatencyWarnMs,
    webhook_silence_warn_ms: t.paymentWebhookSilenceMs,
  };
  // Not configured is never ok: deposits skip this slot, which someone should know is on purpose.
  if (!f.configured)
    return judge([{ status: "warn", says: `${slot} is not configured, so deposits skip it` }], "", f, thresholds);
  const findings: Finding[] = [];
  const percent = (r: number) => `${Math.round(r * 100)}%`;
  if (f.success_rate !== null && f.success_rate < t.paymentSuccessCritical)
    findings.push({
      status: "critical",
      says: `only ${percent(f.success_rate)} of ${f.name} attempts in 24 h were paid`,
    });
  else if (f.success_rate !== null && f.success_rate < t.paymentSuccessWarn)
    findings.push({ status: "warn", says: `${percent(f.success_rate)} of ${f.name} attempts in 24 h were paid` });
  if (f.latency_p95_ms !== null && f.latency_p95_ms > t.paymentLatencyWarnMs)
    findings.push({ status: "warn", says: `${f.name}'s API answers slowly (p95 ${f.latency_p95_ms} ms)` });
  // A slot that never sent a webhook may simply be new; one that stopped while taking attempts has lost its webhook.
  if (f.attempts_24h > 0 && f.since_last_webhook_ms !== null && f.since_last_webhook_ms > t.paymentWebhookSilenceMs)
    findings.push({
      status: "warn",
      says: `no verified ${f.name} webhook for ${readableDuration(f.since_last_webhook_ms)} although attempts were made`,
    });
  if (f.open_failovers > 0)
    findings.push({
      status: "warn",
      says: `${f.open_failovers} booking(s) wait on ${f.name} because the provider before it failed`,
    });
  return judge(findings, `${f.name} is configured and taking payments normally.`, f, thresholds);
}
