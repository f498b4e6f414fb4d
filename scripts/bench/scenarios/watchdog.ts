// (g) Watchdog accuracy: how late the hub acts on a Stripe webhook that never comes, against the moment it was due
// (attempt #1's created_at + PAYMENT_WEBHOOK_TIMEOUT_MINUTES). The watchdog is a delayed job, so the in-process
// driver's poll (every 250 ms) is part of what is measured.
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../../db/client";
import { untilDrained } from "../database";
import { type BenchContext, ms, verdict } from "../figures";
import { type Deposit, expectSwitched, linksIn, openDeposit, spread, untilSeen, withDepositHub } from "./deposits";

const DEPOSITS = 20;
/** 12 s: long enough that every deposit is open before the first one is due, on a machine not busy elsewhere. */
const TIMEOUT_MINUTES = 0.2;
const TARGET_MAX_MS = 1000;

type FirstAttempt = {
  booking_id: string;
  status: string;
  failure_reason: string | null;
  created_ms: number;
  /** When the watchdog's job wrote payment.attempt_failed: it had asked Stripe and found no payment. */
  fired_ms: number | null;
  /** When the attempt left `open` (cancelled at Stripe, then switched): its last change. */
  closed_ms: number;
};

export async function watchdogScenario(context: BenchContext): Promise<void> {
  const timeoutMs = TIMEOUT_MINUTES * 60_000;
  await withDepositHub(context, { PAYMENT_WEBHOOK_TIMEOUT_MINUTES: String(TIMEOUT_MINUTES) }, async (setup) => {
    const { outside, database } = setup;
    const deposits: Deposit[] = [];
    // When each deposit's second link (the secondary's) reached its chat, by this process's clock; watched from the
    // start, since a watchdog may fire while later deposits are still being opened.
    const linked = new Map<string, number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const deposit of deposits)
          if (!linked.has(deposit.bookingId) && linksIn(outside, deposit).length >= 2)
            linked.set(deposit.bookingId, Date.now());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      context.log(`watchdog: ${DEPOSITS} deposits at Stripe whose webhook never comes, timeout ${timeoutMs / 1000} s`);
      const started = Date.now();
      for (let n = 0; n < DEPOSITS; n++) deposits.push(await openDeposit(setup, n));
      context.log(
        `watchdog: opened in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for every watchdog to switch its deposit`,
      );
      await untilSeen(
        "every deposit's secondary link",
        () => (linked.size === deposits.length ? true : undefined),
        timeoutMs + 60_000,
      );
    } finally {
      watching = false;
      await watcher;
    }
    await untilDrained(database.handle, Date.now());
    for (const deposit of deposits) await expectSwitched(setup, deposit);

    const clockOffset = await databaseClockOffset(database.handle);
    const attempts = await database.handle.rows<FirstAttempt>(sql`
      select p.booking_id::text as booking_id, p.status, p.failure_reason,
             extract(epoch from p.created_at)::float8 * 1000 as created_ms,
             extract(epoch from p.updated_at)::float8 * 1000 as closed_ms,
             (select extract(epoch from min(e.created_at))::float8 * 1000 from outbox_events e
               where e.type = 'payment.attempt_failed' and e.aggregate_id = p.id::text) as fired_ms
      from payments p where p.type = 'deposit' and p.attempt_number = 1`);
    const fired: number[] = [];
    const closed: number[] = [];
    const inChat: number[] = [];
    for (const attempt of attempts) {
      // Only the watchdog writes this reason: no webhook, no API error, nothing else switched it.
      if (attempt.fired_ms === null || !attempt.failure_reason?.startsWith("no webhook from stripe"))
        throw new Error(
          `booking ${attempt.booking_id}: attempt #1 was not switched by its watchdog: ${attempt.failure_reason}`,
        );
      const due = attempt.created_ms + timeoutMs;
      fired.push(attempt.fired_ms - due);
      closed.push(attempt.closed_ms - due);
      inChat.push(linked.get(attempt.booking_id)! + clockOffset - due);
    }

    const worst = Math.max(...closed);
    context.figures.push(
      {
        figure: `watchdog: due → attempt #1 switched from Stripe, lateness (n = ${attempts.length}, timeout ${timeoutMs / 1000} s)`,
        measured: spread(closed, ms),
        against: `max ≤ ${TARGET_MAX_MS} ms`,
        verdict: verdict(worst <= TARGET_MAX_MS),
      },
      {
        figure: "watchdog: due → its job wrote payment.attempt_failed",
        measured: spread(fired, ms),
        against: "reported",
        verdict: "reported",
      },
      {
        figure: "watchdog: due → secondary's link in the chat",
        measured: spread(inChat, ms),
        against: "reported",
        verdict: "reported",
      },
    );
  });
}

/** The database's clock minus this process's, in ms (within half a round trip), to compare their instants. */
async function databaseClockOffset(handle: DatabaseHandle): Promise<number> {
  const before = Date.now();
  const [row] = await handle.rows<{ now_ms: number }>(
    sql`select extract(epoch from clock_timestamp())::float8 * 1000 as now_ms`,
  );
  const after = Date.now();
  return row!.now_ms - (before + after) / 2;
}
