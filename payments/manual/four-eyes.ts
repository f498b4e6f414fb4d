// Four eyes on a manual payment compare people, not rows: a staff account may have been worked from a Telegram
// account that was, or is now, the approver's own (a code for someone else's account redeemed on their phone).
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { paymentProofs, staffTelegramLinks, users } from "../../db/schema";

export const SENT_IT_YOURSELF = "You sent a proof of this payment: another manager must approve it.";
export const FROM_YOUR_TELEGRAM =
  "A proof of this payment came from a Telegram account that is or was linked to you: another manager must approve it.";

/**
 * Why `approverId` may not approve the payment's proofs, or undefined when they may. Refused: whoever uploaded one,
 * and whoever holds or once held the Telegram account one was sent from (before, when or after it came: a person
 * who had that account is taken to be its sender, whichever staff account it spoke for).
 */
export async function fourEyesRefusal(
  tx: Executor,
  paymentId: string,
  approverId: string,
): Promise<string | undefined> {
  const proofs = await tx
    .select({ uploadedBy: paymentProofs.uploadedBy, sender: paymentProofs.senderTelegramUserId })
    .from(paymentProofs)
    .where(eq(paymentProofs.paymentId, paymentId));
  if (proofs.some((p) => p.uploadedBy === approverId)) return SENT_IT_YOURSELF;
  const senders = [...new Set(proofs.flatMap((p) => (p.sender ? [p.sender] : [])))];
  if (senders.length === 0) return undefined;
  const [held] = await tx
    .select({ id: staffTelegramLinks.id })
    .from(staffTelegramLinks)
    .where(and(eq(staffTelegramLinks.userId, approverId), inArray(staffTelegramLinks.telegramUserId, senders)))
    .limit(1);
  // The history is written with every link; users.telegram_user_id is asked too, so a link set by hand still counts.
  const [holds] = held
    ? [held]
    : await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.id, approverId), inArray(users.telegramUserId, senders)));
  return held || holds ? FROM_YOUR_TELEGRAM : undefined;
}
