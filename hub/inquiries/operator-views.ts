// What operators look at from the bot: the queue by priority, and SLA breaches.
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "../pipeline/inquiry-record";

/** Inquiries someone still has to work on. */
const WORKABLE = ["new", "in_progress"] as const;

/** The open inquiries to take next: highest priority first, then the earliest deadline. */
export async function inquiryQueue(db: Executor, limit = 10): Promise<InquiryRecord[]> {
  const rows = await selectInquiryRecords(db)
    .where(inArray(inquiries.status, WORKABLE))
    .orderBy(desc(inquiries.priority), asc(inquiries.slaDeadlineAt))
    .limit(limit);
  return rows.map(toInquiryRecord);
}

/**
 * Inquiries whose SLA deadline has passed while they are still `new`: the deadline is the promise to answer
 * (the acknowledgement names it), and an inquiry someone took (`in_progress`) has been answered.
 */
export async function slaBreaches(db: Executor, now: Date, limit = 20): Promise<InquiryRecord[]> {
  const rows = await selectInquiryRecords(db)
    .where(and(eq(inquiries.status, "new"), lt(inquiries.slaDeadlineAt, now)))
    .orderBy(asc(inquiries.slaDeadlineAt))
    .limit(limit);
  return rows.map(toInquiryRecord);
}
