// (b) Latency: intake's p99 at 4 connections.
import { runLoad } from "../children";
import { untilDrained } from "../database";
import { type BenchContext, ms, perSecond, verdict } from "../figures";
import { withPostgresHub } from "./postgres-hub";

const CONNECTIONS = 4;
const TARGET_P99_MS = 25;

export async function latencyScenario(context: BenchContext): Promise<void> {
  await withPostgresHub(context, async ({ hub, database, operatorKey }) => {
    const load = (secs: number, first: number) =>
      runLoad({
        url: `${hub.url}/inquiries`,
        connections: CONNECTIONS,
        seconds: secs,
        headers: { Authorization: `Bearer ${operatorKey}` },
        first,
      });
    context.log("latency: warm-up, 2 s");
    const warm = await load(2, 1);
    await untilDrained(database.handle, warm.finishedAt);
    context.log(`latency: ${context.seconds} s at ${CONNECTIONS} connections`);
    const result = await load(context.seconds, 50_000_000);
    context.figures.push(
      {
        figure: "latency: p99 at 4 connections",
        measured: ms(result.p99),
        against: `≤ ${TARGET_P99_MS} ms`,
        verdict: verdict(result.p99 <= TARGET_P99_MS && result.non2xx === 0),
      },
      {
        figure: "latency: p50, rate at 4 connections",
        measured: `${ms(result.p50)}, ${perSecond(result.rate)}`,
        against: `non-2xx ${result.non2xx}`,
        verdict: "reported",
      },
    );
  });
}
