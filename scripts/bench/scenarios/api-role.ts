// (a') Intake in services mode: the hub as HUB_ROLE=api with BullMQ on Redis, one HUB_ROLE=worker process beside it,
// both on one scratch PostgreSQL database. Run as intake is (warm-up, then baseline, hub, baseline, hub at 32
// connections); the worker handles every outbox event, and how fast it does so is measured too.
import { sql } from "drizzle-orm";
import { type Child, type LoadResult, startBare, startHub } from "../children";
import { type Scratch, scratchDatabase, staffKey, untilDrained } from "../database";
import { phasedIntakeLoad, TARGET_RATIO, WARM_UP_SECONDS } from "../intake-load";
import { type BenchContext, ms, perSecond, seconds, verdict } from "../figures";
import { type BenchRedis, benchRedis, startWorker } from "../services";

interface Services {
  database: Scratch;
  redis: BenchRedis;
  api: Child;
  operatorKey: string;
}

export async function apiRoleScenario(context: BenchContext): Promise<void> {
  await withServices(context, async ({ database, redis, api, operatorKey }) => {
    const bare = await startBare(database.url);
    try {
      const load = phasedIntakeLoad();
      const intakeHeaders = { Authorization: `Bearer ${operatorKey}` };
      const hubRun = async (secs: number) => {
        const since = await databaseNow(database);
        const result = await load(api.url, intakeHeaders, secs);
        const until = await databaseNow(database);
        const queued = await redis.eventsQueued();
        // The outbox holds every event until the worker has handled it for every subscriber (processed_at), whether
        // it still waits to be published, waits in BullMQ or is being run: the backlog BullMQ's queue alone would hide.
        const drain = await untilDrained(database.handle, result.finishedAt);
        const handled = await workerDrain(database, since, until);
        return { result, queued, drain, handled };
      };

      context.log(`api-role: warm-up, ${WARM_UP_SECONDS} s each`);
      await load(bare.url, {}, WARM_UP_SECONDS);
      await hubRun(WARM_UP_SECONDS);

      const baselines: LoadResult[] = [];
      const runs: Awaited<ReturnType<typeof hubRun>>[] = [];
      for (const round of [1, 2]) {
        context.log(`api-role: baseline run ${round}, ${context.seconds} s`);
        baselines.push(await load(bare.url, {}, context.seconds));
        context.log(`api-role: hub run ${round}, ${context.seconds} s`);
        runs.push(await hubRun(context.seconds));
      }

      runs.forEach(({ result, queued, drain, handled }, i) => {
        const base = baselines[i]!;
        const name = `api-role run ${i + 1}`;
        context.figures.push(
          {
            figure: `${name}: inquiries/s (32 conn.)`,
            measured: perSecond(result.rate),
            against: `bare INSERT ${perSecond(base.rate)}`,
            verdict: "reported",
          },
          {
            figure: `${name}: p50 / p99`,
            measured: `${ms(result.p50)} / ${ms(result.p99)}`,
            against: `bare INSERT ${ms(base.p50)} / ${ms(base.p99)}`,
            verdict: "reported",
          },
          {
            figure: `${name}: non-2xx, errors (hub; bare)`,
            measured: `${result.non2xx}, ${result.errors + result.timeouts}`,
            against: `${base.non2xx}, ${base.errors + base.timeouts}; 0 expected`,
            verdict: verdict(result.non2xx + result.errors + result.timeouts === 0),
          },
          {
            figure: `${name}: outbox events handled in the window`,
            measured: drain.drainedInWindow
              ? "yes"
              : `no: ${drain.atEnd.events} events unprocessed (${queued} in BullMQ); drained ${seconds(drain.seconds)} after`,
            against: "empty when the load stops",
            verdict: verdict(drain.drainedInWindow),
          },
          {
            figure: `${name}: worker drain rate (first to last processed_at)`,
            measured: `${perSecond(handled.rate)} (${handled.events.toLocaleString("en-GB")} events in ${seconds(handled.span)})`,
            against: `events written during the load at ${perSecond(handled.duringLoad / result.seconds)}`,
            verdict: "reported",
          },
        );
      });
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      const ratio = mean(runs.map((r) => r.result.rate)) / mean(baselines.map((b) => b.rate));
      context.figures.push({
        figure: "api-role intake rate ÷ bare-INSERT rate (mean of 2 each)",
        measured: `${ratio.toFixed(2)}×`,
        against: `≥ ${TARGET_RATIO}×`,
        verdict: verdict(ratio >= TARGET_RATIO),
      });
    } finally {
      await bare.stop();
    }
  });
}

/** A scratch database, a Redis prefix, the API hub and one worker; all stopped, dropped and deleted after `run`. */
async function withServices(context: BenchContext, run: (services: Services) => Promise<void>): Promise<void> {
  const redis = await benchRedis();
  try {
    const database = await scratchDatabase(context.postgresUrl);
    try {
      const env = {
        DATABASE_URL: database.url,
        ADMIN_API_KEY: context.adminKey,
        REDIS_URL: redis.url,
        REDIS_PREFIX: redis.prefix,
      };
      context.log(`api-role: Redis ${redis.url} under the prefix ${redis.prefix}`);
      const api = await startHub({ ...env, HUB_ROLE: "api" });
      try {
        const worker = await startWorker(redis, env);
        try {
          const operatorKey = await staffKey(api.url, context.adminKey, "operator");
          await run({ database, redis, api, operatorKey });
        } finally {
          await worker.stop();
        }
      } finally {
        await api.stop();
      }
    } finally {
      await database.close();
    }
  } finally {
    await redis.close();
  }
}

/** The database's clock: outbox rows are stamped by it, not by this process. */
async function databaseNow(database: Scratch): Promise<string> {
  const [row] = await database.handle.rows<{ now: string }>(sql`select clock_timestamp()::text as now`);
  return row!.now;
}

/**
 * The events written since `since` (the load's and those its handling wrote after), all handled by now, and the
 * worker's rate over them; `duringLoad`, those written before `until`, the load's end.
 */
async function workerDrain(database: Scratch, since: string, until: string) {
  const [row] = await database.handle.rows<{ events: number; duringLoad: number; span: number | null }>(sql`
    select count(processed_at)::int as events,
           count(*) filter (where created_at <= ${until}::timestamptz)::int as "duringLoad",
           extract(epoch from max(processed_at) - min(processed_at))::float8 as span
      from outbox_events
     where created_at >= ${since}::timestamptz`);
  const events = row?.events ?? 0;
  const span = row?.span ?? 0;
  return { events, duringLoad: row?.duringLoad ?? 0, span, rate: span > 0 ? events / span : 0 };
}
