// The inquiry list of the API: newest received first, filtered by source, status and a received_at window.
import { and, eq, gte, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries, type InquirySource, type InquiryStatus } from "../../db/schema";
import { type Page, type PageRequest, paginate } from "../core/pagination";
import { selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "../pipeline";

export interface InquiryFilter {
  source?: InquirySource | undefined;
  status?: InquiryStatus | undefined;
  /** received_at at or after `from`, and before `to`. */
  from?: Date | undefined;
  to?: Date | undefined;
}

export function listInquiries(db: Executor, filter: InquiryFilter, page: PageRequest): Promise<Page<InquiryRecord>> {
  return paginate(
    page,
    { at: inquiries.receivedAt, id: inquiries.id, of: (inquiry) => ({ at: inquiry.receivedAt, id: inquiry.id }) },
    async ({ after, orderBy, limit }) => {
      const rows = await selectInquiryRecords(db)
        .where(
          and(
            filter.source ? eq(inquiries.source, filter.source) : undefined,
            filter.status ? eq(inquiries.status, filter.status) : undefined,
            filter.from ? gte(inquiries.receivedAt, filter.from) : undefined,
            filter.to ? lt(inquiries.receivedAt, filter.to) : undefined,
            after,
          ),
        )
        .orderBy(...orderBy)
        .limit(limit);
      return rows.map(toInquiryRecord);
    },
  );
}
