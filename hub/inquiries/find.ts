// Finding one inquiry the way people name it: its id, its reference (INQ-1042, any case), or the bare number.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { HubError } from "../core/errors";
import { parseRowName } from "../core/ids";
import { selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "../pipeline";

/** Undefined when nothing matches, or when the text is neither an id nor a reference. */
export async function findInquiry(db: Executor, idOrReference: string): Promise<InquiryRecord | undefined> {
  const name = parseRowName("INQ", idOrReference);
  if (!name) return undefined;
  const [row] = await selectInquiryRecords(db).where(
    "id" in name ? eq(inquiries.id, name.id) : eq(inquiries.number, name.number),
  );
  return row ? toInquiryRecord(row) : undefined;
}

/** The inquiry a request names (a path, a field): not_found when there is none. */
export async function getInquiry(db: Executor, idOrReference: string): Promise<InquiryRecord> {
  const inquiry = await findInquiry(db, idOrReference);
  if (!inquiry) throw new HubError("not_found", `No inquiry has id or reference "${idOrReference}".`);
  return inquiry;
}
