// One chat's updates handled one at a time across every hub process: a lease row in the database, taken before an
// update and given back after it. No connection is held while waiting or while the update is handled.
import { randomUUID } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { chatLeases } from "../../db/schema";

export interface ChatLeaseOptions {
  /** How long a lease lasts if its holder never gives it back (a crash): longer than any update takes. */
  leaseMs?: number;
  /** How long to wait for another process's lease before giving up (the channel then redelivers the update). */
  waitMs?: number;
}

export class ChatBusyError extends Error {
  constructor(key: string, waitedMs: number) {
    super(
      `chat ${key} was still being handled by another process after ${waitedMs} ms; the update is left for redelivery`,
    );
    this.name = "ChatBusyError";
  }
}

const POLL_MS = [20, 50, 100, 200];

/** Runs `work` holding the chat's lease; waits (polling) while another holder has it. */
export async function withChatLease<T>(
  db: Database,
  key: string,
  work: () => Promise<T>,
  options: ChatLeaseOptions = {},
): Promise<T> {
  const leaseMs = options.leaseMs ?? 30_000;
  const waitMs = options.waitMs ?? 8_000;
  const holder = randomUUID();
  const started = Date.now();
  for (let attempt = 0; !(await take(db, key, holder, leaseMs)); attempt++) {
    if (Date.now() - started >= waitMs) throw new ChatBusyError(key, Date.now() - started);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS[Math.min(attempt, POLL_MS.length - 1)]));
  }
  try {
    return await work();
  } finally {
    await db.delete(chatLeases).where(and(eq(chatLeases.key, key), eq(chatLeases.holder, holder)));
  }
}

/** Takes the lease if nobody holds it or the last holder's ran out. */
async function take(db: Database, key: string, holder: string, leaseMs: number): Promise<boolean> {
  const expiresAt = sql`now() + make_interval(secs => ${leaseMs / 1000})`;
  const taken = await db
    .insert(chatLeases)
    .values({ key, holder, expiresAt })
    .onConflictDoUpdate({
      target: chatLeases.key,
      set: { holder, expiresAt },
      setWhere: lt(chatLeases.expiresAt, sql`now()`),
    })
    .returning({ holder: chatLeases.holder });
  return taken.length > 0;
}

/** Deletes leases that ran out long ago (their holders died): the rest are given back as they finish. */
export async function pruneChatLeases(db: Database, olderThanMs: number): Promise<number> {
  const removed = await db
    .delete(chatLeases)
    .where(lt(chatLeases.expiresAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`))
    .returning({ key: chatLeases.key });
  return removed.length;
}
