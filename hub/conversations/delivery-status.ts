// Delivery receipts for outbound messages (WhatsApp statuses): a status only moves forward, never back.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { messages, type InquirySource, type MessageStatus } from "../../db/schema";

export type Receipt = "sent" | "delivered" | "read" | "failed";

/** From which statuses each receipt may move a message: a late "delivered" must not undo "read". */
const MAY_FOLLOW: Record<Receipt, MessageStatus[]> = {
  sent: ["queued"],
  delivered: ["queued", "sent"],
  read: ["queued", "sent", "delivered"],
  failed: ["queued", "sent"],
};

/** Applies a receipt to the outbound message with that channel id; false when none matched (or it was a step back). */
export async function recordReceipt(
  db: Database,
  receipt: { source: InquirySource; externalMessageId: string; status: Receipt; error?: string },
): Promise<boolean> {
  const updated = await db
    .update(messages)
    .set({ status: receipt.status, ...(receipt.error ? { error: receipt.error } : {}), updatedAt: sql`now()` })
    .where(
      and(
        eq(messages.source, receipt.source),
        eq(messages.externalMessageId, receipt.externalMessageId),
        eq(messages.direction, "outbound"),
        inArray(messages.status, MAY_FOLLOW[receipt.status]),
      ),
    )
    .returning({ id: messages.id });
  return updated.length > 0;
}
