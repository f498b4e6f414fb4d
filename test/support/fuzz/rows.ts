// Row counts of the hub's tables, to show that a refused request stored nothing and a replay changed nothing.
import { sql } from "drizzle-orm";
import type { BaseTestHub } from "../hub";

export type Counts = Record<string, number>;

/**
 * Tables only a request writes, in its own transaction, never a background handler: a request answered 4xx must
 * leave them as they were, even while the effects of earlier requests are still being handled.
 */
export const WRITTEN_BY_REQUESTS = [
  "inquiries",
  "clients",
  "client_identities",
  "inquiry_contacts",
  "webhook_events",
  "payment_webhook_events",
  "payment_proofs",
  "bookings",
  "resources",
  "resource_blocks",
  "partners",
  "users",
  "console_sessions",
  "telegram_link_codes",
  "message_templates",
  "sla_policies",
  "holidays",
];

/** Refused signatures are recorded on purpose (GET /health/system counts them): the one table a forgery may grow. */
const EXPECTED_TO_GROW = new Set(["webhook_rejections"]);

/** Every table of the hub's schema but webhook_rejections. */
async function tables(t: BaseTestHub): Promise<string[]> {
  const rows = await t.rows<{ name: string }>(
    sql`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
  );
  return rows.map((r) => r.name).filter((name) => !EXPECTED_TO_GROW.has(name));
}

/** Rows per table, in one statement; `unprocessed` is the outbox events not yet handled. */
export async function countRows(t: BaseTestHub, only?: string[]): Promise<Counts> {
  const names = only ?? (await tables(t));
  if (names.length === 0) throw new Error("no tables found in the hub's schema");
  const selects = names.map((name) => `(select count(*) from "${name}")::int as "${name}"`);
  const [row] = await t.rows<Counts>(
    sql.raw(
      `select ${selects.join(", ")}${only ? "" : ", (select count(*) from outbox_events where processed_at is null)::int as unprocessed"}`,
    ),
  );
  return row!;
}

/**
 * The counts once the hub has stopped moving (the outbox relay, replies going out, payment rounds): the same three
 * times 100 ms apart, with no outbox event left unhandled. Waits for the event rather than for a guessed time; gives
 * up after `timeoutMs`.
 */
export async function settledRows(t: BaseTestHub, timeoutMs = 15_000): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  let last = await countRows(t);
  let same = 0;
  // Still and the outbox empty: an event waiting for the relay's next poll (or a retry) changes no count for a while,
  // and would be handled in the middle of what is measured next.
  while (same < 2 || (last.unprocessed ?? 0) > 0) {
    if (Date.now() > deadline) {
      // An event that never gets handled (a subscriber that keeps failing) is that test's to show: still is settled.
      if (same >= 2) return last;
      throw new Error(`the hub kept writing for ${timeoutMs} ms: ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await countRows(t);
    same = JSON.stringify(now) === JSON.stringify(last) ? same + 1 : 0;
    last = now;
  }
  return last;
}

/** The tables whose counts differ, as `table: before → after`. */
export function changed(before: Counts, after: Counts): string[] {
  return Object.keys({ ...before, ...after })
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} → ${after[k]}`);
}
