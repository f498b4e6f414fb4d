// What the bots keep between updates: conversation state, who is handling a chat now, and the one-time codes that
// link operators' Telegram.
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb, updatedAt } from "./columns";
import { users } from "./users";

/** grammY session and conversation state, one row per chat (the bot runs in any number of processes). */
export const botSessions = pgTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: storableJsonb("value").notNull(),
  updatedAt: updatedAt(),
});

/**
 * A short lease on one chat, held while a process handles one of its updates: another process with the next update
 * of that chat waits for it, so that neither reads conversation state the other is about to change. A holder that
 * died leaves a lease that simply runs out.
 */
export const chatLeases = pgTable("chat_leases", {
  /** `telegram:<chat id>`. */
  key: text("key").primaryKey(),
  /** One per update being handled: only its holder releases a lease. */
  holder: uuid("holder").notNull(),
  expiresAt: instant("expires_at").notNull(),
});

/** A one-time code an operator sends to the bot as `/link CODE`; kept as a SHA-256 hash. */
export const telegramLinkCodes = pgTable("telegram_link_codes", {
  codeHash: text("code_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  expiresAt: instant("expires_at").notNull(),
  usedAt: instant("used_at"),
  createdAt: createdAt(),
});
