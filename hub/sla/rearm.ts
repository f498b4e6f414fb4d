// Arms again the timers of every unanswered inquiry, at start, after the queue lost its jobs (a Redis restarted
// without persistence) and on every sweep (hub/jobs/timer-keeper.ts): no deadline is lost. The deadline is
// sla_deadline_at, the escalation sla_breached_at + SLA_ESCALATE_AFTER_MINUTES. Arming is idempotent by job id, so a
// timer already there stays as it is.
import { and, inArray, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inquiries } from "../../db/schema";
import { WORKABLE_STATUSES } from "./status";
import { armDeadline, armEscalation, type SlaTimerDeps } from "./timers";

export async function rearmSlaTimers(
  db: Database,
  deps: SlaTimerDeps,
): Promise<{ deadlines: number; escalations: number }> {
  const unanswered = and(inArray(inquiries.status, WORKABLE_STATUSES), isNull(inquiries.firstResponseAt));
  const rows = await db
    .select({
      id: inquiries.id,
      deadline: inquiries.slaDeadlineAt,
      breachedAt: inquiries.slaBreachedAt,
      escalatedAt: inquiries.slaEscalatedAt,
    })
    .from(inquiries)
    .where(and(unanswered, isNull(inquiries.slaEscalatedAt)));
  let deadlines = 0;
  let escalations = 0;
  const now = deps.now();
  for (const row of rows) {
    if (!row.breachedAt) {
      if ((await armDeadline(deps.jobs, row.id, row.deadline, now)).created) deadlines++;
    } else if (
      (await armEscalation(deps.jobs, row.id, new Date(row.breachedAt.getTime() + deps.escalateAfterMs), now)).created
    ) {
      escalations++;
    }
  }
  return { deadlines, escalations };
}
