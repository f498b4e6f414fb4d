// (a) Intake, all in one process: POST /inquiries against the bare-INSERT baseline, interleaved (baseline, hub,
// baseline, hub) at 32 connections, with the follow-up work drained after each hub run.
import { type LoadResult, residentMb, startBare } from "../children";
import { untilDrained } from "../database";
import { phasedIntakeLoad, TARGET_RATIO, WARM_UP_SECONDS } from "../intake-load";
import { type BenchContext, mb, ms, perSecond, seconds, verdict } from "../figures";
import { withPostgresHub } from "./postgres-hub";

export async function intakeScenario(context: BenchContext): Promise<void> {
  await withPostgresHub(context, async ({ hub, database, operatorKey }) => {
    const bare = await startBare(database.url);
    try {
      const load = phasedIntakeLoad();
      const intakeHeaders = { Authorization: `Bearer ${operatorKey}` };
      const hubRun = async (secs: number) => {
        const result = await load(hub.url, intakeHeaders, secs);
        const rss = await residentMb(hub.process.pid!);
        const drain = await untilDrained(database.handle, result.finishedAt);
        return { result, rss, drain };
      };

      context.log(`intake: warm-up, ${WARM_UP_SECONDS} s each`);
      await load(bare.url, {}, WARM_UP_SECONDS);
      await hubRun(WARM_UP_SECONDS);

      const baselines: LoadResult[] = [];
      const runs: Awaited<ReturnType<typeof hubRun>>[] = [];
      for (const round of [1, 2]) {
        context.log(`intake: baseline run ${round}, ${context.seconds} s`);
        baselines.push(await load(bare.url, {}, context.seconds));
        context.log(`intake: hub run ${round}, ${context.seconds} s`);
        runs.push(await hubRun(context.seconds));
      }

      runs.forEach(({ result, rss, drain }, i) => {
        const base = baselines[i]!;
        const run = i + 1;
        context.figures.push(
          {
            figure: `intake run ${run}: inquiries/s (32 conn.)`,
            measured: perSecond(result.rate),
            against: `bare INSERT ${perSecond(base.rate)}`,
            verdict: "reported",
          },
          {
            figure: `intake run ${run}: p50 / p99`,
            measured: `${ms(result.p50)} / ${ms(result.p99)}`,
            against: `bare INSERT ${ms(base.p50)} / ${ms(base.p99)}`,
            verdict: "reported",
          },
          {
            figure: `intake run ${run}: non-2xx, errors (hub; bare)`,
            measured: `${result.non2xx}, ${result.errors + result.timeouts}`,
            against: `${base.non2xx}, ${base.errors + base.timeouts}; 0 expected`,
            verdict: verdict(result.non2xx + result.errors + result.timeouts === 0),
          },
          {
            figure: `intake run ${run}: follow-up work drained in the window`,
            measured: drain.drainedInWindow
              ? "yes"
              : `no: ${drain.atEnd.events} events, ${drain.atEnd.jobs} jobs left; drained ${seconds(drain.seconds)} after`,
            against: "empty when the load stops",
            verdict: verdict(drain.drainedInWindow),
          },
          {
            figure: `intake run ${run}: hub RSS at the end of the load`,
            measured: mb(rss.rss),
            against: "≤ 300 MB",
            verdict: verdict(rss.rss <= 300),
          },
        );
      });
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const ratio = mean(runs.map((r) => r.result.rate)) / mean(baselines.map((b) => b.rate));
      context.figures.push({
        figure: "intake rate ÷ bare-INSERT rate (mean of 2 each)",
        measured: `${ratio.toFixed(2)}×`,
        against: `≥ ${TARGET_RATIO}×`,
        verdict: verdict(ratio >= TARGET_RATIO),
      });
    } finally {
      await bare.stop();
    }
  });
}
