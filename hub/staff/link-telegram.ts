// Moving a Telegram account to act for a staff member: the link, its history, the audit entries naming both sides,
// and a notice to the chat the account used before, all in the caller's transaction.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { staffTelegramLinks, users } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { queueStaffNotices } from "./queue-notice";
import { relinkedNotice } from "./texts";

export interface TelegramLinkChange {
  /** The staff member whose Telegram account this was until now, if it was someone else's. */
  takenFromUserId: string | null;
}

/** The advisory lock space of Telegram links (any constant: every hub process must use the same). */
const TELEGRAM_LINK_LOCK = 740_612;

/**
 * A link's period is when it really held: now() is when the transaction began, and a link that waited for the lock
 * began before the link it ends was made.
 */
const LINK_CLOCK = sql`clock_timestamp()`;

const closeOpenLink = (tx: Executor, userId: string) =>
  tx
    .update(staffTelegramLinks)
    .set({ unlinkedAt: LINK_CLOCK })
    .where(and(eq(staffTelegramLinks.userId, userId), isNull(staffTelegramLinks.unlinkedAt)));

/**
 * Links `telegramUserId` to `userId`. A Telegram account speaks for one staff member, so one that acted for somebody
 * else stops doing so; an account that had another Telegram account has its previous chat told, in case the move was
 * not theirs. Audit entries hold ids only.
 */
export async function linkTelegramAccount(
  tx: Executor,
  link: { userId: string; telegramUserId: string; now: Date },
): Promise<TelegramLinkChange> {
  const { userId, telegramUserId } = link;
  // Two codes redeemed at once for one Telegram account would both find no holder and both claim it (a unique
  // violation): links of one account take turns, the later one taking it from the earlier.
  await tx.execute(sql`select pg_advisory_xact_lock(${TELEGRAM_LINK_LOCK}, hashtext(${telegramUserId}))`);
  const [user] = await tx
    .select({ telegramUserId: users.telegramUserId })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!user) throw new Error(`staff member ${userId} vanished while linking Telegram`);
  const previous = user.telegramUserId;
  const [holder] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.telegramUserId, telegramUserId), ne(users.id, userId)))
    .for("update");

  if (holder) {
    await tx.update(users).set({ telegramUserId: null, updatedAt: sql`now()` }).where(eq(users.id, holder.id));
    await closeOpenLink(tx, holder.id);
    await recordAudit(tx, {
      actorId: userId,
      action: "operator.telegram_unlinked",
      entityType: "user",
      entityId: holder.id,
      before: { telegram_user_id: telegramUserId },
      after: { telegram_user_id: null, moved_to_user_id: userId },
    });
  }
  if (previous !== telegramUserId) {
    await closeOpenLink(tx, userId);
    await tx.update(users).set({ telegramUserId, updatedAt: sql`now()` }).where(eq(users.id, userId));
    await tx.insert(staffTelegramLinks).values({ userId, telegramUserId, linkedAt: LINK_CLOCK });
  }
  await recordAudit(tx, {
    actorId: userId,
    action: "operator.telegram_linked",
    entityType: "user",
    entityId: userId,
    before: { telegram_user_id: previous },
    after: { telegram_user_id: telegramUserId, ...(holder ? { taken_from_user_id: holder.id } : {}) },
  });
  // The holder's previous chat is the one linking now, which the bot answers; the account's own previous chat is not.
  if (previous && previous !== telegramUserId) {
    await queueStaffNotices(tx, [{ id: userId, chatId: previous }], {
      inquiryId: null,
      kind: "telegram_relinked",
      body: relinkedNotice(link.now),
    });
  }
  return { takenFromUserId: holder?.id ?? null };
}
