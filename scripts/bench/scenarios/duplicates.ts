// (d) Duplicate storm: two hub processes (HUB_ROLE=all, in-process jobs) on one scratch PostgreSQL database, and
// 1,000 distinct WhatsApp leads each posted 10 times at once, the copies alternately to each hub (storm.ts, a process
// of its own). Every lead must be stored once, and no copy answered with a 5xx.
import { sql } from "drizzle-orm";
import { runJsonChild, startHub } from "../children";
import { type Scratch, scratchDatabase, staffKey } from "../database";
import { type BenchContext, perSecond, seconds, verdict } from "../figures";
import type { StormResult, StormSpec } from "../storm";

const LEADS = 1000;
const COPIES = 10;
const CONCURRENCY = 32;
/** The storm has a database of its own: its leads may start at 1. */
const FIRST_LEAD = 1;

export async function duplicateStormScenario(context: BenchContext): Promise<void> {
  const database = await scratchDatabase(context.postgresUrl);
  try {
    const env = { DATABASE_URL: database.url, ADMIN_API_KEY: context.adminKey };
    // One after the other: each migrates at start (nothing left to do after the scratch database's own migration).
    const first = await startHub(env);
    try {
      const second = await startHub(env);
      try {
        const operatorKey = await staffKey(first.url, context.adminKey, "operator");
        context.log(`duplicates: ${LEADS} leads × ${COPIES} copies across 2 hubs, ${CONCURRENCY} in flight`);
        const storm = await runStorm({
          hubs: [first.url, second.url],
          operatorKey,
          leads: LEADS,
          copies: COPIES,
          concurrency: CONCURRENCY,
          first: FIRST_LEAD,
        });
        const stored = await countStored(database);
        report(context, storm, stored);
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  } finally {
    await database.close();
  }
}

function report(context: BenchContext, storm: StormResult, stored: Awaited<ReturnType<typeof countStored>>) {
  const count = (n: number) => n.toLocaleString("en-GB");
  const serverErrors = Object.entries(storm.statuses)
    .filter(([status]) => Number(status) >= 500)
    .reduce((sum, [, n]) => sum + n, 0);
  const answered = Object.values(storm.statuses).reduce((a, b) => a + b, 0);
  const byStatus = Object.entries(storm.statuses)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}: ${count(n)}`);
  context.figures.push(
    {
      figure: `duplicates: inquiries stored (${count(LEADS)} leads × ${COPIES}, 2 hubs)`,
      measured: count(stored.inquiries),
      against: `exactly ${count(LEADS)}`,
      verdict: verdict(stored.inquiries === LEADS),
    },
    {
      figure: "duplicates: clients, inquiry.created events",
      measured: `${count(stored.clients)}, ${count(stored.createdEvents)}`,
      against: `${count(LEADS)} each`,
      verdict: verdict(stored.clients === LEADS && stored.createdEvents === LEADS),
    },
    {
      figure: "duplicates: 5xx answers, requests unanswered",
      measured: `${serverErrors}, ${storm.errors}${storm.firstError ? ` (${storm.firstError})` : ""}`,
      against: "0, 0",
      verdict: verdict(serverErrors === 0 && storm.errors === 0),
    },
    {
      figure: "duplicates: answers by status",
      measured: byStatus.join("; ") || "none",
      against: `201: ${count(LEADS)}; 200: ${count(LEADS * (COPIES - 1))} (replays)`,
      verdict: "reported",
    },
    {
      figure: `duplicates: wall time, ${count(LEADS * COPIES)} requests`,
      measured: `${seconds(storm.seconds)} (${perSecond(answered / storm.seconds)})`,
      against: "reported",
      verdict: "reported",
    },
  );
}

/** What the storm left in the database. */
async function countStored(database: Scratch) {
  const [row] = await database.handle.rows<{
    inquiries: number;
    clients: number;
    createdEvents: number;
  }>(sql`
    select (select count(*)::int from inquiries) as inquiries,
           (select count(*)::int from clients) as clients,
           (select count(*)::int from outbox_events where type = 'inquiry.created') as "createdEvents"`);
  return row!;
}

/** storm.ts in a process of its own: the load comes from neither hub, nor from this process. */
function runStorm(spec: StormSpec): Promise<StormResult> {
  return runJsonChild<StormResult>("scripts/bench/storm.ts", spec, "storm load generator");
}
