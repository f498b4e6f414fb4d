// An inquiry as the hub hands it out: the row plus its client's contact details.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { clients, inquiries } from "../../db/schema";
import { inquiryReference } from "../core/references";

export const inquiryRecordColumns = {
  inquiry: inquiries,
  client: { name: clients.name, phone: clients.phone, email: clients.email },
};

export type InquiryRecord = typeof inquiries.$inferSelect & {
  client: { name: string | null; phone: string | null; email: string | null };
};

/** Inquiries joined with their clients; callers add where/order/limit. */
export function selectInquiryRecords(db: Executor) {
  return db
    .select(inquiryRecordColumns)
    .from(inquiries)
    .innerJoin(clients, eq(clients.id, inquiries.clientId))
    .$dynamic();
}

export const toInquiryRecord = (row: {
  inquiry: typeof inquiries.$inferSelect;
  client: InquiryRecord["client"];
}): InquiryRecord => ({
  ...row.inquiry,
  client: row.client,
});

export { inquiryReference };
