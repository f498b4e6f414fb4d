// (c) Memory: the hub child's resident memory right after 10,000 and after 100,000 intakes (32 connections). Between
// and after, the follow-up work is given up to 5 minutes to drain; RSS once drained is reported too.
import { residentMb, runLoad } from "../children";
import { untilDrained } from "../database";
import { type BenchContext, mb, seconds, verdict } from "../figures";
import { withPostgresHub } from "./postgres-hub";

const TARGET_MB = 300;
const MAX_GROWTH = 0.1;

export async function memoryScenario(context: BenchContext, counts = { first: 10_000, total: 100_000 }): Promise<void> {
  const label = (n: number) => n.toLocaleString("en-GB");
  await withPostgresHub(context, async ({ hub, database, operatorKey }) => {
    const headers = { Authorization: `Bearer ${operatorKey}` };
    const pid = hub.process.pid!;
    const intakes = (amount: number, first: number) =>
      runLoad({ url: `${hub.url}/inquiries`, connections: 32, amount, headers, first });
    context.log(`memory: ${label(counts.first)} intakes`);
    const first = await intakes(counts.first, 60_000_000);
    const afterFirst = await residentMb(pid);
    await untilDrained(database.handle, first.finishedAt);
    context.log(`memory: ${label(counts.total - counts.first)} more intakes`);
    const second = await intakes(counts.total - counts.first, 60_000_000 + counts.first);
    const afterAll = await residentMb(pid);
    const drain = await untilDrained(database.handle, second.finishedAt);
    const drained = await residentMb(pid);
    const growth = afterAll.rss / afterFirst.rss - 1;
    const failures = first.non2xx + second.non2xx + first.errors + second.errors + first.timeouts + second.timeouts;
    context.figures.push(
      {
        figure: `memory: hub RSS after ${label(counts.first)} intakes`,
        measured: mb(afterFirst.rss),
        against: `≤ ${TARGET_MB} MB`,
        verdict: verdict(afterFirst.rss <= TARGET_MB),
      },
      {
        figure: `memory: hub RSS after ${label(counts.total)} intakes`,
        measured: `${mb(afterAll.rss)} (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)} %; peak ${mb(afterAll.peak)})`,
        against: `≤ ${TARGET_MB} MB, within 10 %`,
        verdict: verdict(afterAll.rss <= TARGET_MB && Math.abs(growth) <= MAX_GROWTH),
      },
      {
        figure: "memory: hub RSS once the follow-up work drained",
        measured: Number.isFinite(drain.seconds)
          ? `${mb(drained.rss)} (drained ${seconds(drain.seconds)} after the load)`
          : `${mb(drained.rss)} (not drained 5 min after the load)`,
        against: "reported",
        verdict: "reported",
      },
      {
        figure: `memory: non-2xx and errors over the ${label(counts.total)}`,
        measured: String(failures),
        against: "0",
        verdict: verdict(failures === 0),
      },
    );
  });
}
