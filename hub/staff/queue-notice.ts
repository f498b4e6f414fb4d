// Queues a notice to a member of staff: a `queued` row and a `staff_notice.queued` event, in the caller's transaction.
// Most are about an inquiry; one about the staff member's own account (`telegram_relinked`) has none.
import type { Executor } from "../../db/client";
import { staffNotices, type StaffNoticeKind } from "../../db/schema";
import { appendEvent } from "../core/events/outbox";
import type { Recipient } from "./recipients";

export async function queueStaffNotices(
  tx: Executor,
  recipients: Recipient[],
  notice: { inquiryId: string | null; kind: StaffNoticeKind; body: string; paymentId?: string },
): Promise<void> {
  if (recipients.length === 0) return;
  const rows = await tx
    .insert(staffNotices)
    .values(
      recipients.map((r) => ({
        userId: r.id,
        chatId: r.chatId,
        inquiryId: notice.inquiryId,
        kind: notice.kind,
        body: notice.body,
        paymentId: notice.paymentId ?? null,
      })),
    )
    .returning({ id: staffNotices.id, userId: staffNotices.userId });
  // One event per recipient: one staff member's blocked chat must not resend the notice to the others.
  for (const row of rows) {
    await appendEvent(tx, {
      type: "staff_notice.queued",
      aggregateType: notice.inquiryId ? "inquiry" : "user",
      aggregateId: notice.inquiryId ?? row.userId,
      payload: { notice_id: row.id, user_id: row.userId, inquiry_id: notice.inquiryId, kind: notice.kind },
    });
  }
}
