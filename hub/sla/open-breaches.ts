// Breaches still open: inquiries someone must work on, past their deadline, with no first response yet.
import { and, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { WORKABLE_STATUSES } from "./status";

export interface OpenBreaches {
  count: number;
  /** The deadline of the longest-waiting one; null with none. */
  oldestDeadlineAt: Date | null;
}

export async function openSlaBreaches(db: Executor, now: Date): Promise<OpenBreaches> {
  const [row] = await db
    .select({
      count: sql<number>`count(*)`.mapWith(Number),
      oldest: sql<string | null>`min(${inquiries.slaDeadlineAt})`,
    })
    .from(inquiries)
    .where(
      and(
        inArray(inquiries.status, [...WORKABLE_STATUSES]),
        isNull(inquiries.firstResponseAt),
        lt(inquiries.slaDeadlineAt, now),
      ),
    );
  return { count: row?.count ?? 0, oldestDeadlineAt: row?.oldest ? new Date(row.oldest) : null };
}
