// The SLA widget: open inquiries past their deadline with no first response, and how long the oldest has waited.
import type { HealthThresholds } from "./thresholds";
import { type Finding, judge, readableDuration, type Widget } from "./widget";

export interface SlaFigures {
  open_breaches: number;
  /** How far past its deadline the oldest open breach is; null with none. */
  oldest_overdue_ms: number | null;
}

export function slaWidget(f: SlaFigures, t: HealthThresholds): Widget<SlaFigures> {
  const findings: Finding[] = [];
  if (f.open_breaches > 0) {
    const overdue = f.oldest_overdue_ms ?? 0;
    findings.push({
      status: overdue >= t.slaOverdueCriticalMs ? "critical" : "warn",
      says: `${f.open_breaches} open inquiry(ies) past their SLA deadline with no response, the oldest by ${readableDuration(overdue)}`,
    });
  }
  return judge(findings, "No open inquiry is past its SLA deadline.", f, {
    breaches_warn: 1,
    overdue_critical_ms: t.slaOverdueCriticalMs,
  });
}
