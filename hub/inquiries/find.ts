// Finding one inquiry the way people name it: its id, its reference (INQ-1042, any case), or the bare number.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "../pipeline/inquiry-record";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REFERENCE = /^(?:INQ-)?(\d{1,15})$/i;

/** Undefined when nothing matches, or when the text is neither an id nor a reference. */
export async function findInquiry(db: Executor, idOrReference: string): Promise<InquiryRecord | undefined> {
  const text = idOrReference.trim();
  const number = REFERENCE.exec(text)?.[1];
  const where = number ? eq(inquiries.number, Number(number)) : UUID.test(text) ? eq(inquiries.id, text) : undefined;
  if (!where) return undefined;
  const [row] = await selectInquiryRecords(db).where(where);
  return row ? toInquiryRecord(row) : undefined;
}
