// What operators look at besides the queue: the inquiries past their deadline that nobody has answered.
import { and, asc, inArray, isNull, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "../pipeline";
import { WORKABLE_STATUSES } from "../sla";

/** Still someone's work, past the deadline (the promise the acknowledgement named), and with no response yet. */
export async function slaBreaches(db: Executor, now: Date, limit = 20): Promise<InquiryRecord[]> {
  const rows = await selectInquiryRecords(db)
    .where(
      and(
        inArray(inquiries.status, WORKABLE_STATUSES),
        isNull(inquiries.firstResponseAt),
        lt(inquiries.slaDeadlineAt, now),
      ),
    )
    .orderBy(asc(inquiries.slaDeadlineAt))
    .limit(limit);
  return rows.map(toInquiryRecord);
}
