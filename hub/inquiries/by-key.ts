// Whether a request was already stored as an inquiry, by the idempotency key it came with.
import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { type InquirySource, inquiries } from "../../db/schema";

export async function inquiryStoredWithKey(
  db: Executor,
  source: InquirySource,
  idempotencyKey: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: inquiries.id })
    .from(inquiries)
    .where(and(eq(inquiries.source, source), eq(inquiries.idempotencyKey, idempotencyKey)));
  return row !== undefined;
}
