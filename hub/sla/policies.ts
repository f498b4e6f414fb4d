// SLA policies: the response deadline per inquiry source, and the clock it runs on. A change applies to inquiries
// received from then on.
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import {
  type BusinessPeriod,
  INQUIRY_SOURCES,
  type InquirySource,
  SLA_CLOCKS,
  type SlaClock,
  slaPolicies,
} from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";
import { businessHoursProblems, sortedPeriods } from "./business-hours";

export { INQUIRY_SOURCES, SLA_CLOCKS };
export type SlaPolicy = typeof slaPolicies.$inferSelect;

export interface SlaPolicyChange {
  deadlineMinutes: number;
  /** Default `wall`: a body of deadline_minutes alone keeps hard rule 9's clock. */
  clock?: SlaClock;
  businessHours?: BusinessPeriod[];
}

/** One policy per source (the migrations seed them), in the order of INQUIRY_SOURCES. */
export async function listSlaPolicies(db: Executor): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies);
  return rows.sort((a, b) => INQUIRY_SOURCES.indexOf(a.source) - INQUIRY_SOURCES.indexOf(b.source));
}

/** Replaces the source's policy whole (a PUT): what the change leaves out is the default, not the old value. */
export function changeSlaPolicy(
  db: Database,
  source: InquirySource,
  change: SlaPolicyChange,
  actorId: string,
): Promise<SlaPolicy> {
  const clock = change.clock ?? "wall";
  const businessHours = sortedPeriods(change.businessHours ?? []);
  const problems = businessHoursProblems(clock, change.businessHours ?? [], change.deadlineMinutes);
  if (problems.length > 0) {
    throw new HubError(
      "invalid",
      `The ${source} policy cannot take these hours: ${problems.map((p) => `${p.field} ${p.message}`).join("; ")}`,
      problems,
    );
  }
  const values = { deadlineMinutes: change.deadlineMinutes, clock, businessHours };
  return db.transaction(async (tx) => {
    // Locked so that two managers changing it at once each audit the value they really replaced.
    const [before] = await tx.select().from(slaPolicies).where(eq(slaPolicies.source, source)).for("update");
    const [after] = await tx
      .insert(slaPolicies)
      .values({ source, ...values, updatedBy: actorId })
      .onConflictDoUpdate({ target: slaPolicies.source, set: { ...values, updatedBy: actorId, updatedAt: sql`now()` } })
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "sla_policy.updated",
      entityType: "sla_policy",
      entityId: source,
      before: before ? auditView(before) : null,
      after: auditView(after!),
    });
    return after!;
  });
}

const auditView = (p: SlaPolicy) => ({
  deadline_minutes: p.deadlineMinutes,
  clock: p.clock,
  business_hours: p.businessHours,
});
