// Delivery receipts for outbound messages (WhatsApp statuses): a status only moves forward, never back.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { messages, webhookEvents, type InquirySource, type MessageStatus } from "../../db/schema";

export type Receipt = "sent" | "delivered" | "read" | "failed";
const RECEIPTS: Receipt[] = ["sent", "delivered", "read", "failed"];

export interface ReceiptInput {
  source: InquirySource;
  externalMessageId: string;
  status: Receipt;
  error?: string;
}

/** From which statuses each receipt may move a message: a late "delivered" must not undo "read". */
const MAY_FOLLOW: Record<Receipt, MessageStatus[]> = {
  sent: ["queued"],
  delivered: ["queued", "sent"],
  read: ["queued", "sent", "delivered"],
  failed: ["queued", "sent"],
};

/** Applies a receipt to the outbound message with that channel id; false when none matched (or it was a step back). */
async function recordReceipt(db: Executor, receipt: ReceiptInput): Promise<boolean> {
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

/** Whether the outbound message the receipt is about has been recorded. */
async function isRecorded(db: Executor, receipt: ReceiptInput): Promise<boolean> {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.source, receipt.source),
        eq(messages.externalMessageId, receipt.externalMessageId),
        eq(messages.direction, "outbound"),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/** Where a receipt that came before its message's send was recorded waits, in webhook_events. */
const earlyReceiptId = (externalMessageId: string, status: Receipt) => `receipt:${externalMessageId}:${status}`;

/**
 * Applies a channel's receipt, or keeps it when it matches no message: the channel may answer before the hub has
 * written down the id of what it sent (the send is made first and recorded a moment later), and
 * `applyEarlyReceipts` picks it up then. A receipt for a message that is recorded already but did not move it (a
 * redelivery, or a late "delivered" after "read") has nothing to wait for: it is dropped, so a replay stores nothing.
 */
export async function receiveReceipt(db: Executor, receipt: ReceiptInput): Promise<"applied" | "kept" | "stale"> {
  if (await recordReceipt(db, receipt)) return "applied";
  if (await isRecorded(db, receipt)) return "stale";
  await db
    .insert(webhookEvents)
    .values({
      source: receipt.source,
      externalEventId: earlyReceiptId(receipt.externalMessageId, receipt.status),
      payload: receipt,
    })
    .onConflictDoNothing();
  return "kept";
}

/** Applies, in order, the receipts that came for a message before its send was recorded. */
export async function applyEarlyReceipts(
  tx: Executor,
  source: InquirySource,
  externalMessageId: string,
): Promise<void> {
  const early = await tx
    .select({ payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.source, source),
        inArray(
          webhookEvents.externalEventId,
          RECEIPTS.map((status) => earlyReceiptId(externalMessageId, status)),
        ),
      ),
    );
  const receipts = early
    .map((row) => row.payload as ReceiptInput)
    .sort((a, b) => RECEIPTS.indexOf(a.status) - RECEIPTS.indexOf(b.status));
  for (const receipt of receipts) await recordReceipt(tx, { ...receipt, source, externalMessageId });
}
