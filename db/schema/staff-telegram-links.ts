// Which Telegram account acted for which staff member, and when: one row per link, closed when it moves or is undone.
// users.telegram_user_id says who a Telegram account is now; this says who it has been, so that the four-eyes check
// on a manual payment compares people, even after an account changed hands.
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns";
import { users } from "./users";

export const staffTelegramLinks = pgTable(
  "staff_telegram_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    telegramUserId: text("telegram_user_id").notNull(),
    linkedAt: instant("linked_at").notNull().defaultNow(),
    /** Null while the link holds. */
    unlinkedAt: instant("unlinked_at"),
  },
  (t) => [
    // As on users: a staff member has one Telegram account at a time, and a Telegram account acts for one of them.
    uniqueIndex("staff_telegram_links_open_user_key").on(t.userId).where(sql`${t.unlinkedAt} is null`),
    uniqueIndex("staff_telegram_links_open_telegram_key").on(t.telegramUserId).where(sql`${t.unlinkedAt} is null`),
    index("staff_telegram_links_user_telegram_idx").on(t.userId, t.telegramUserId),
    check("staff_telegram_links_period_check", sql`${t.unlinkedAt} is null or ${t.unlinkedAt} >= ${t.linkedAt}`),
  ],
);
