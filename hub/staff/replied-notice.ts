// The staff notice a Telegram message answers: a reply to it is about the notice's inquiry or payment.
import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { type StaffNoticeKind, staffNotices } from "../../db/schema";

export interface RepliedNotice {
  kind: StaffNoticeKind;
  /** Null for a notice about the staff member's own account (a relink). */
  inquiryId: string | null;
  paymentId: string | null;
}

/** By the chat and the sent message's id there (`<chat id>:<message id>`); undefined when it is no notice of ours. */
export async function repliedNotice(
  db: Executor,
  chatId: string,
  telegramMessageId: string,
): Promise<RepliedNotice | undefined> {
  const [notice] = await db
    .select({ kind: staffNotices.kind, inquiryId: staffNotices.inquiryId, paymentId: staffNotices.paymentId })
    .from(staffNotices)
    .where(and(eq(staffNotices.chatId, chatId), eq(staffNotices.telegramMessageId, telegramMessageId)));
  return notice;
}
