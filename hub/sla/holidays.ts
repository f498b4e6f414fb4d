// Closed dates: London calendar days on which a business-hours SLA clock does not run. Managers keep the list; a
// change applies to leads taken in from then on (a deadline already given stays).
import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { holidays } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";

export type Holiday = typeof holidays.$inferSelect;

/** The closed dates from–to (inclusive, either open-ended), earliest first. */
export function listHolidays(db: Executor, range: { from?: string; to?: string } = {}): Promise<Holiday[]> {
  return db
    .select()
    .from(holidays)
    .where(
      and(range.from ? gte(holidays.date, range.from) : undefined, range.to ? lte(holidays.date, range.to) : undefined),
    )
    .orderBy(asc(holidays.date));
}

export function addHoliday(db: Database, holiday: { date: string; name: string }, actorId: string): Promise<Holiday> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(holidays)
      .values({ ...holiday, createdBy: actorId })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      const [existing] = await tx.select().from(holidays).where(eq(holidays.date, holiday.date));
      throw new HubError(
        "conflict",
        `${holiday.date} is a holiday already${existing ? ` (${existing.name})` : ""}; delete it first to rename it`,
      );
    }
    await recordAudit(tx, {
      actorId,
      action: "holiday.added",
      entityType: "holiday",
      entityId: holiday.date,
      after: { date: row.date, name: row.name },
    });
    return row;
  });
}

export async function removeHoliday(db: Database, date: string, actorId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.delete(holidays).where(eq(holidays.date, date)).returning();
    if (!row) throw new HubError("not_found", `${date} is not a holiday`);
    await recordAudit(tx, {
      actorId,
      action: "holiday.removed",
      entityType: "holiday",
      entityId: date,
      before: { date: row.date, name: row.name },
    });
  });
}
