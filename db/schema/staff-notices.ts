// What the hub told a member of staff in their Telegram chat, so that a reply to it finds its inquiry.
import { sql } from "drizzle-orm";
import { check, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { staffNoticeKind, staffNoticeStatus } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

export const staffNotices = pgTable(
  "staff_notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** The inquiry it is about; none for a notice about the staff member's own account (`telegram_relinked`). */
    inquiryId: uuid("inquiry_id").references(() => inquiries.id),
    kind: staffNoticeKind("kind").notNull(),
    /** The staff member's Telegram chat (their user id: the bot talks to staff in private chats). */
    chatId: text("chat_id").notNull(),
    body: text("body").notNull(),
    /** The payment a payment notice is about: a proof sent in reply to it belongs to that payment. */
    paymentId: uuid("payment_id"),
    status: staffNoticeStatus("status").notNull().default("queued"),
    /** `<chat id>:<message id>` once sent, as for customers' messages: Telegram's ids are unique only within a chat. */
    telegramMessageId: text("telegram_message_id"),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("staff_notices_telegram_message_id_key").on(t.telegramMessageId),
    index("staff_notices_inquiry_id_idx").on(t.inquiryId),
    // Compared as text: a check may not name an enum value added in the same migration's transaction.
    check("staff_notices_inquiry_check", sql`${t.inquiryId} is not null or ${t.kind}::text = 'telegram_relinked'`),
  ],
);
