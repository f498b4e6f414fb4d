// Web console sessions: a random id in the browser's cookie, its hash in the database, over after 12 idle hours.
import { createHash, randomBytes } from "node:crypto";
import { eq, lte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { consoleSessions, users } from "../../db/schema";
import type { AuthUser } from "./users";

export const CONSOLE_SESSION_IDLE_MS = 12 * 60 * 60_000;

/** Writing last_seen_at on every page would be a write per click; a minute is far below the 12 hours that count. */
const TOUCH_AFTER_MS = 60_000;

const hashSessionId = (id: string) => createHash("sha256").update(id).digest("hex");
const random = () => randomBytes(32).toString("base64url");

export interface ConsoleSession {
  user: AuthUser;
  csrfToken: string;
}

/** Starts a session for a user who just proved a key; returns the id for the cookie (never stored as is). */
export async function openConsoleSession(
  db: Database,
  userId: string,
  now: Date,
): Promise<{ id: string; csrfToken: string }> {
  const id = random();
  const csrfToken = random();
  // Expired sessions are deleted when met; a sign-in also clears those no one came back to.
  await db.delete(consoleSessions).where(lte(consoleSessions.lastSeenAt, idleCutoff(now)));
  await db
    .insert(consoleSessions)
    .values({ idHash: hashSessionId(id), userId, csrfToken, createdAt: now, lastSeenAt: now });
  return { id, csrfToken };
}

/**
 * The session behind a cookie's id, if it is still good: not idle for 12 hours and its user still active (a
 * deactivated user's sessions end at once, with no cache in between). `touch: false` reads without counting as
 * activity (a live page polling on its own).
 */
export async function resumeConsoleSession(
  db: Database,
  id: string,
  now: Date,
  options: { touch?: boolean } = {},
): Promise<ConsoleSession | undefined> {
  const idHash = hashSessionId(id);
  const [row] = await db
    .select({
      lastSeenAt: consoleSessions.lastSeenAt,
      csrfToken: consoleSessions.csrfToken,
      user: { id: users.id, name: users.name, role: users.role },
      active: users.active,
    })
    .from(consoleSessions)
    .innerJoin(users, eq(users.id, consoleSessions.userId))
    .where(eq(consoleSessions.idHash, idHash));
  if (!row) return undefined;
  if (!row.active || row.lastSeenAt <= idleCutoff(now)) {
    await endConsoleSession(db, id);
    return undefined;
  }
  if (options.touch !== false && now.getTime() - row.lastSeenAt.getTime() >= TOUCH_AFTER_MS) {
    await db.update(consoleSessions).set({ lastSeenAt: now }).where(eq(consoleSessions.idHash, idHash));
  }
  return { user: row.user, csrfToken: row.csrfToken };
}

export async function endConsoleSession(db: Database, id: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, hashSessionId(id)));
}

const idleCutoff = (now: Date) => new Date(now.getTime() - CONSOLE_SESSION_IDLE_MS);
