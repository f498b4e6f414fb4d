// Staff who use the hub (operators, managers, admins); each authenticates with an API key kept only as a hash.
import { boolean, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { userRole } from "./enums";

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  role: userRole("role").notNull(),
  /** SHA-256 of the key, hex. Keys are 256-bit random, so a fast hash is enough and lookups stay one index probe. */
  apiKeyHash: text("api_key_hash").notNull().unique(),
  active: boolean("active").notNull().default(true),
  /** The operator's Telegram user id, once linked with a one-time code; bot commands are theirs only after that. */
  telegramUserId: text("telegram_user_id").unique(),
  /** Whether the bot tells them of every new inquiry (`/notify on|off`). */
  notifyNewInquiries: boolean("notify_new_inquiries").notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
