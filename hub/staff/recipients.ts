// Who hears of an inquiry in Telegram: active staff who linked the bot, chosen by what the notice is about.
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { users } from "../../db/schema";

export interface Recipient {
  id: string;
  /** Their private chat with the bot: Telegram's chat id there is the user's id. */
  chatId: string;
}

const linked = and(eq(users.active, true), isNotNull(users.telegramUserId));

async function select(tx: Executor, where: ReturnType<typeof and>): Promise<Recipient[]> {
  const rows = await tx
    .select({ id: users.id, chatId: users.telegramUserId })
    .from(users)
    .where(where)
    .orderBy(users.createdAt, users.id);
  return rows.map((r) => ({ id: r.id, chatId: r.chatId! }));
}

/** Staff who keep new-inquiry notices on (`/notify on`, the default). */
export const notifiedStaff = (tx: Executor) => select(tx, and(linked, eq(users.notifyNewInquiries, true)));

/**
 * The inquiry's assignee if they are linked; while nobody has taken it (or they are not on Telegram), every notified
 * one.
 */
export async function assigneeOrNotified(tx: Executor, assigneeId: string | null): Promise<Recipient[]> {
  if (assigneeId) {
    const assignee = await select(tx, and(linked, eq(users.id, assigneeId)));
    if (assignee.length > 0) return assignee;
  }
  return notifiedStaff(tx);
}

/** Managers and admins: an escalation is theirs, whether or not they take new-inquiry notices. */
export const linkedManagers = (tx: Executor) => select(tx, and(linked, inArray(users.role, ["manager", "admin"])));
