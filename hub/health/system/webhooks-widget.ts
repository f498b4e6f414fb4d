// The webhooks widget: per channel and provider, signatures refused in the last 24 h (a wrong secret, or someone
// forging them), and apart from them, webhook-born events that could not be processed (dead letters).
import type { HealthThresholds } from "./thresholds";
import { type Finding, judge, type Widget } from "./widget";

export interface WebhookFigures {
  /** Refused signatures in the last 24 h, per sender (a channel or a payment slot). */
  rejected_signatures_24h: Record<string, number>;
  /** Dead letters of events a webhook started, per sender: taken in, then not processed. */
  processing_failures: Record<string, number>;
}

export function webhooksWidget(f: WebhookFigures, t: HealthThresholds): Widget<WebhookFigures> {
  const findings: Finding[] = [];
  for (const [sender, n] of Object.entries(f.rejected_signatures_24h)) {
    if (n >= t.webhookRejectionsCritical)
      findings.push({ status: "critical", says: `${n} ${sender} webhooks refused for their signature in 24 h` });
    else if (n >= t.webhookRejectionsWarn)
      findings.push({ status: "warn", says: `${n} ${sender} webhook(s) refused for their signature in 24 h` });
  }
  for (const [sender, n] of Object.entries(f.processing_failures))
    if (n > 0) findings.push({ status: "warn", says: `${n} ${sender} webhook event(s) in dead letters` });
  return judge(findings, "Every webhook in the last 24 h was signed and processed.", f, {
    rejections_warn: t.webhookRejectionsWarn,
    rejections_critical: t.webhookRejectionsCritical,
  });
}
