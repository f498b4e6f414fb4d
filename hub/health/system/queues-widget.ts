// The queues widget: per queue what waits, what is delayed, the dead letters and the lag; and the outbox backlog
// (events not yet handed to the queue).
import type { HealthThresholds } from "./thresholds";
import { type Finding, judge, readableDuration, type Widget } from "./widget";

export type QueueFigures =
  | { waiting: number; delayed: number; active: number; failed: number; oldest_waiting_ms: number | null }
  | { error: string };

export interface QueuesFigures {
  queues: Record<string, QueueFigures>;
  outbox: { unpublished: number; oldest_unpublished_ms: number | null };
}

export function queuesWidget(f: QueuesFigures, t: HealthThresholds): Widget<QueuesFigures> {
  const findings: Finding[] = [];
  const lag = (what: string, ms: number | null, hint: string) => {
    if (ms === null || ms < t.queueLagWarnMs) return;
    findings.push({
      status: ms >= t.queueLagCriticalMs ? "critical" : "warn",
      says: `${what} has waited ${readableDuration(ms)} (${hint})`,
    });
  };
  for (const [queue, q] of Object.entries(f.queues)) {
    if ("error" in q) {
      findings.push({ status: "critical", says: `the ${queue} queue does not answer (${q.error})` });
      continue;
    }
    lag(`the oldest due job in the ${queue} queue`, q.oldest_waiting_ms, "is a worker running?");
    if (q.failed > 0) findings.push({ status: "warn", says: `${q.failed} dead letter(s) in the ${queue} queue` });
  }
  lag(
    `the oldest of ${f.outbox.unpublished} unpublished event(s) in the outbox`,
    f.outbox.oldest_unpublished_ms,
    "is the queue's service up?",
  );
  return judge(findings, "Every queue is taking its jobs and holds no dead letters.", f, {
    lag_warn_ms: t.queueLagWarnMs,
    lag_critical_ms: t.queueLagCriticalMs,
  });
}
