// grammY storage over the bot_sessions table: conversation state survives restarts and is shared by every process.
import type { StorageAdapter } from "grammy";
import { and, eq, like, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { botSessions } from "../../db/schema";

export function databaseStorage<T>(db: Database, prefix: string): StorageAdapter<T> {
  const key = (k: string) => `${prefix}${k}`;
  return {
    async read(k) {
      const [row] = await db
        .select({ value: botSessions.value })
        .from(botSessions)
        .where(eq(botSessions.key, key(k)));
      return row?.value as T | undefined;
    },
    async write(k, value) {
      await db
        .insert(botSessions)
        .values({ key: key(k), value })
        .onConflictDoUpdate({ target: botSessions.key, set: { value, updatedAt: sql`now()` } });
    },
    async delete(k) {
      await db.delete(botSessions).where(eq(botSessions.key, key(k)));
    },
  };
}

/**
 * Deletes state not touched for `olderThanMs`: conversations a customer never finished. Their questions lapse after
 * 24 hours anyway (the conversation drops them on the chat's next update), so the rows are only clutter.
 */
export async function pruneStaleSessions(db: Database, prefix: string, olderThanMs: number): Promise<number> {
  const removed = await db
    .delete(botSessions)
    .where(
      and(
        like(botSessions.key, `${prefix}%`),
        lt(botSessions.updatedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`),
      ),
    )
    .returning({ key: botSessions.key });
  return removed.length;
}
