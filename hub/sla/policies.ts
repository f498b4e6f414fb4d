// SLA policies: the response deadline per inquiry source. A change applies to inquiries received from then on.
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { INQUIRY_SOURCES, type InquirySource, slaPolicies } from "../../db/schema";
import { recordAudit } from "../core/audit/record";

export { INQUIRY_SOURCES };
export type SlaPolicy = typeof slaPolicies.$inferSelect;

/** One policy per source (the migrations seed them), in the order of INQUIRY_SOURCES. */
export async function listSlaPolicies(db: Executor): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies);
  return rows.sort((a, b) => INQUIRY_SOURCES.indexOf(a.source) - INQUIRY_SOURCES.indexOf(b.source));
}

export function changeSlaPolicy(
  db: Database,
  source: InquirySource,
  deadlineMinutes: number,
  actorId: string,
): Promise<SlaPolicy> {
  return db.transaction(async (tx) => {
    // Locked so that two managers changing it at once each audit the value they really replaced.
    const [before] = await tx.select().from(slaPolicies).where(eq(slaPolicies.source, source)).for("update");
    const [after] = await tx
      .insert(slaPolicies)
      .values({ source, deadlineMinutes, updatedBy: actorId })
      .onConflictDoUpdate({
        target: slaPolicies.source,
        set: { deadlineMinutes, updatedBy: actorId, updatedAt: sql`now()` },
      })
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "sla_policy.updated",
      entityType: "sla_policy",
      entityId: source,
      before: before ? { deadline_minutes: before.deadlineMinutes } : null,
      after: { deadline_minutes: after!.deadlineMinutes },
    });
    return after!;
  });
}
