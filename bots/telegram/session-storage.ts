// grammY storage over the bot_sessions table: conversation state survives restarts and is shared by every process.
import type { StorageAdapter } from "grammy";
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { botSessions } from "../../db/schema";

export function databaseStorage<T>(db: Database, prefix: string): StorageAdapter<T> {
  const key = (k: string) => `${prefix}${k}`;
  return {
    async read(k) {
      const [row] = await db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, key(k)));
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
