// The first human response to an inquiry: it stops the SLA clock, once; later responses change nothing.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { appendEvent } from "../core/events/outbox";

/** Sets first_response_at unless it is set already; true when this was the first. Runs in the caller's transaction. */
export async function recordFirstResponse(
  tx: Executor,
  inquiryId: string,
  at: Date,
  via: "message" | "contact",
): Promise<boolean> {
  const [first] = await tx
    .update(inquiries)
    .set({ firstResponseAt: at, updatedAt: sql`now()` })
    .where(and(eq(inquiries.id, inquiryId), isNull(inquiries.firstResponseAt)))
    .returning({ id: inquiries.id });
  if (!first) return false;
  // Its subscriber disarms the SLA timers: they would find the inquiry answered and do nothing anyway.
  await appendEvent(tx, {
    type: "inquiry.first_response",
    aggregateType: "inquiry",
    aggregateId: inquiryId,
    payload: { inquiry_id: inquiryId, at: at.toISOString(), via },
  });
  return true;
}
