// Staff signed in to the web console: one row per browser session, found by the hash of the cookie's random id.
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns";
import { users } from "./users";

export const consoleSessions = pgTable(
  "console_sessions",
  {
    /** SHA-256 of the cookie's 32 random bytes, hex: a copy of the table opens no session. */
    idHash: text("id_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** The token every console form posts back; random, one per session. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: instant("created_at").notNull(),
    /** Moved on as the person uses the console: 12 idle hours after it, the session is over. */
    lastSeenAt: instant("last_seen_at").notNull(),
  },
  (t) => [
    index("console_sessions_user_id_idx").on(t.userId),
    index("console_sessions_last_seen_at_idx").on(t.lastSeenAt),
  ],
);
