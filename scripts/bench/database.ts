// The benchmark's scratch PostgreSQL databases, and what it reads from them: the backlog the hub still has to drain.
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../db/client";
import { openScratchDatabase } from "../../db/scratch";

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

export interface Scratch {
  handle: DatabaseHandle;
  /** The scratch database's own URL, for the child processes. */
  url: string;
  /** Drops it. */
  close(): Promise<void>;
}

/** A migrated throw-away database beside the one `adminUrl` names. */
export async function scratchDatabase(adminUrl: string): Promise<Scratch> {
  const handle = await openScratchDatabase(adminUrl, { prefix: "hub_bench" });
  const [row] = await handle.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(adminUrl);
  url.pathname = `/${row!.name}`;
  return { handle, url: url.toString(), close: () => handle.close() };
}

/**
 * What intake left for later: outbox events not yet handled by every subscriber, and jobs due now but not done.
 * Delayed jobs (an SLA deadline minutes away) are not a backlog: they are meant to wait.
 */
export async function backlog(handle: DatabaseHandle): Promise<{ events: number; jobs: number }> {
  const [row] = await handle.rows<{ events: number; jobs: number }>(sql`
    select (select count(*)::int from outbox_events where processed_at is null) as events,
           (select count(*)::int from jobs where status in ('waiting', 'active') and run_at <= now()) as jobs`);
  return row!;
}

/**
 * Polls the backlog every 50 ms until it is empty. `drainedInWindow` is whether it was already empty at the first
 * look after the load stopped; `seconds` is from `since` (the load's end) to the first empty look.
 */
export async function untilDrained(
  handle: DatabaseHandle,
  since: number,
  timeoutMs = 300_000,
): Promise<{ drainedInWindow: boolean; seconds: number; atEnd: { events: number; jobs: number } }> {
  const atEnd = await backlog(handle);
  let left = atEnd;
  const deadline = Date.now() + timeoutMs;
  while (left.events + left.jobs > 0) {
    if (Date.now() > deadline) return { drainedInWindow: false, seconds: Number.POSITIVE_INFINITY, atEnd };
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = await backlog(handle);
  }
  const empty = atEnd.events + atEnd.jobs === 0;
  return { drainedInWindow: empty, seconds: empty ? 0 : (Date.now() - since) / 1000, atEnd };
}

/** A staff member's API key, made through the hub's API with the admin key. */
export async function staffKey(hubUrl: string, adminKey: string, role: "operator" | "manager"): Promise<string> {
  const response = await fetch(`${hubUrl}/operators`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: `bench ${role}`, role }),
  });
  if (response.status !== 201) throw new Error(`POST /operators answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { api_key: string }).api_key;
}
