// Arms again the timers of every unanswered inquiry, at start, after the queue lost its jobs (a Redis restarted
// without persistence) and on every sweep (hub/core/jobs/timer-keeper.ts): no deadline is lost. The deadline is
// sla_deadline_at, the escalation sla_breached_at + SLA_ESCALATE_AFTER_MINUTES. Arming is idempotent by job id, so a
// timer already there stays as it is.
import { and, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inquiries } from "../../db/schema";
import type { Due } from "../core/jobs/timer";
import { WORKABLE_STATUSES } from "./status";
import { deadlineTimer, escalationDueAt, escalationTimer, type SlaTimerDeps } from "./timers";

export async function rearmSlaTimers(
  db: Database,
  deps: SlaTimerDeps,
): Promise<{ deadlines: number; escalations: number }> {
  const unanswered = and(inArray(inquiries.status, WORKABLE_STATUSES), isNull(inquiries.firstResponseAt));
  const rows = await db
    .select({ id: inquiries.id, deadline: inquiries.slaDeadlineAt, breachedAt: inquiries.slaBreachedAt })
    .from(inquiries)
    .where(and(unanswered, isNull(inquiries.slaEscalatedAt)));
  // Before the breach its deadline is due; after it, its escalation.
  const deadlines: Due[] = [];
  const escalations: Due[] = [];
  for (const row of rows) {
    if (row.breachedAt) escalations.push({ key: row.id, dueAt: escalationDueAt(deps, row.breachedAt) });
    else deadlines.push({ key: row.id, dueAt: row.deadline });
  }
  const now = deps.now();
  return {
    deadlines: await deadlineTimer.rearm(deps.jobs, deadlines, now),
    escalations: await escalationTimer.rearm(deps.jobs, escalations, now),
  };
}
