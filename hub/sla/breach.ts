// What the SLA timers do when they fire: raise the breach at the deadline, escalate it later, or nothing if answered.
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries, tasks } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { inTransaction, type HubContext } from "../core/context";
import { appendEvent } from "../core/events/outbox";
import type { JobHandler } from "../core/jobs/driver";
// From the core, not the pipeline: the pipeline takes its deadline rule from here, and a cycle would follow.
import { inquiryReference } from "../core/references";
import { WORKABLE_STATUSES } from "./status";
import { DEADLINE_JOB, deadlineTimer, ESCALATION_JOB } from "./timers";

/** A timer may fire this much before its time (clocks of different hosts); earlier than that, it is tried again. */
const EARLY_TOLERANCE_MS = 1000;

export class TimerTooEarlyError extends Error {
  override name = "TimerTooEarlyError";
}

type Row = typeof inquiries.$inferSelect;

/** Unanswered and still someone's work: only such an inquiry breaches or escalates. */
const unanswered = (row: Row) =>
  row.firstResponseAt === null && (WORKABLE_STATUSES as readonly string[]).includes(row.status);

/** Its transaction wakes the relay: a breach's event is published at once. */
export function slaTimerHandler(deps: Pick<HubContext, "db" | "now" | "wake">): JobHandler {
  return async (job) => {
    // Both SLA timers carry the inquiry id under the same field.
    const inquiryId = deadlineTimer.keyOf(job);
    await inTransaction(deps, async (tx) => {
      const [row] = await tx.select().from(inquiries).where(eq(inquiries.id, inquiryId)).for("update");
      if (!row || !unanswered(row)) return false;
      const now = deps.now();
      if (job.name === DEADLINE_JOB) return raiseBreach(tx, row, now);
      if (job.name === ESCALATION_JOB) return escalate(tx, row, now);
      throw new Error(`unknown SLA timer ${job.name}`);
    });
  };
}

async function raiseBreach(tx: Executor, row: Row, now: Date): Promise<boolean> {
  if (row.slaBreachedAt) return false;
  if (now.getTime() < row.slaDeadlineAt.getTime() - EARLY_TOLERANCE_MS) {
    throw new TimerTooEarlyError(`the SLA timer of ${inquiryReference(row.number)} fired before its deadline`);
  }
  const reference = inquiryReference(row.number);
  await tx.update(inquiries).set({ slaBreachedAt: now, updatedAt: sql`now()` }).where(eq(inquiries.id, row.id));
  await tx.insert(tasks).values({
    type: "sla.breached",
    title: `SLA breached: ${reference}`,
    inquiryId: row.id,
    assigneeId: row.assigneeId,
    dueAt: now,
    payload: { sla_deadline_at: row.slaDeadlineAt.toISOString(), source: row.source },
  });
  await recordAudit(tx, {
    actorId: null,
    action: "inquiry.sla_breached",
    entityType: "inquiry",
    entityId: row.id,
    before: { sla_breached_at: null },
    after: { sla_breached_at: now.toISOString(), sla_deadline_at: row.slaDeadlineAt.toISOString() },
  });
  await appendEvent(tx, {
    type: "inquiry.sla_breached",
    aggregateType: "inquiry",
    aggregateId: row.id,
    payload: { ...slaPayload(row), breached_at: now.toISOString() },
  });
  return true;
}

async function escalate(tx: Executor, row: Row, now: Date): Promise<boolean> {
  if (!row.slaBreachedAt || row.slaEscalatedAt) return false;
  await tx.update(inquiries).set({ slaEscalatedAt: now, updatedAt: sql`now()` }).where(eq(inquiries.id, row.id));
  await recordAudit(tx, {
    actorId: null,
    action: "inquiry.sla_escalated",
    entityType: "inquiry",
    entityId: row.id,
    before: { sla_escalated_at: null },
    after: { sla_escalated_at: now.toISOString(), sla_breached_at: row.slaBreachedAt.toISOString() },
  });
  await appendEvent(tx, {
    type: "inquiry.sla_escalated",
    aggregateType: "inquiry",
    aggregateId: row.id,
    payload: { ...slaPayload(row), escalated_at: now.toISOString() },
  });
  return true;
}

const slaPayload = (row: Row) => ({
  inquiry_id: row.id,
  reference: inquiryReference(row.number),
  source: row.source,
  sla_deadline_at: row.slaDeadlineAt.toISOString(),
  assignee_id: row.assigneeId,
});
