// Redis stops while leads keep arriving: every request is answered 201 (intake commits to PostgreSQL and the outbox,
// not to Redis), nothing is lost, the backlog drains once Redis is back, and every effect happens once. A Redis of the
// test's own, on a spare port: the shared one is never touched.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { SLA_QUEUE } from "../../hub/core/jobs/queues";
import { deadlineTimer } from "../../hub/sla/timers";
import { startHub, type TestHub } from "../support/hub";
import { freePort, startRedisServer, stopRedisServer } from "../support/redis";

const POLL = { timeout: 45_000, interval: 100 };
/** Each phase lasts until this many more leads were answered (and, during the outage, until the relay has failed). */
const PER_PHASE = 30;
const CONCURRENCY = 6;

/** The effect of inquiry.created every web-form lead has that keeps a processed-event marker. */
const HANDLERS = ["metrics.count-inquiries"];

/** Stops Redis as an operator does (SIGTERM): with its append-only file, what it held is there when it comes back. */
const stopGracefully = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

// The intake's own store is PostgreSQL here, as in production with Redis; the PostgreSQL passes run it.
describe.runIf(process.env.DATABASE_URL)("Redis stopped during intake", () => {
  let redis: ChildProcess | undefined;
  let t: TestHub | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    // The hub first, while its Redis is up (it deletes its keys), then the Redis and its folder.
    await t?.stop().catch(() => undefined);
    if (redis && redis.exitCode === null) await stopRedisServer(redis);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const count = async (query: ReturnType<typeof sql>) => Number((await t!.rows<{ n: string }>(query))[0]!.n);
  const counted = () => count(sql`select coalesce(sum(total_count), 0)::text as n from inquiry_metrics_daily`);
  const waitingWithError = () =>
    count(sql`select count(*)::text as n from outbox_events where published_at is null and last_error is not null`);

  it("answers every lead 201 while Redis is down, then publishes the backlog and runs each effect once", async () => {
    dir = await mkdtemp(join(tmpdir(), "hub-redis-outage-"));
    const port = await freePort();
    const persisted = ["--appendonly", "yes", "--appendfsync", "always", "--dir", dir];
    redis = await startRedisServer(port, persisted);
    t = await startHub({
      redisUrl: `redis://127.0.0.1:${port}`,
      overrides: { relayOptions: { pollMs: 50, retryMs: 200 } },
      // A job a worker held when Redis stopped comes back once its claim runs out (up to twice the claim): with the
      // default 30 s that may be 60 s, past the 45 s this test waits for the backlog.
      env: { JOB_CLAIM_SECONDS: "5" },
    });
    expect(t.hub.jobs.kind).toBe("bullmq");

    // Leads arrive without pause from CONCURRENCY clients for the whole test, across the stop and the start.
    const statuses: number[] = [];
    let sent = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const i = ++sent;
        const res = await t!.request("POST", "/inquiries", {
          body: { source: "web_form", message: `lead ${i}`, client: { email: `redis-outage-${i}@example.com` } },
        });
        statuses.push(res.status);
        if (res.status !== 201) throw new Error(`lead ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    const answered = (n: number) => expect.poll(() => statuses.length, POLL).toBeGreaterThanOrEqual(n);
    const clients = Array.from({ length: CONCURRENCY }, client);
    const load = Promise.all(clients);
    load.catch(() => undefined);
    try {
      await answered(PER_PHASE);

      await stopGracefully(redis);
      const atStop = statuses.length;
      // The relay has met the outage (events wait with the reason) and leads are still taken.
      await expect.poll(waitingWithError, POLL).toBeGreaterThan(0);
      await answered(atStop + PER_PHASE);

      redis = await startRedisServer(port, persisted);
      await answered(statuses.length + PER_PHASE);
    } finally {
      stop = true;
      await load;
    }

    const leads = statuses.length;
    expect(new Set(statuses)).toEqual(new Set([201]));
    expect(await count(sql`select count(*)::text as n from inquiries`)).toBe(leads);

    // Every event published, every lead counted once, each effect's marker once per lead.
    await expect.poll(counted, POLL).toBe(leads);
    await expect
      .poll(() => count(sql`select count(*)::text as n from outbox_events where published_at is null`), POLL)
      .toBe(0);
    for (const handler of HANDLERS)
      await expect
        .poll(() => count(sql`select count(*)::text as n from processed_events where handler = ${handler}`), POLL)
        .toBe(leads);
    // Nothing runs twice: jobs the outage left in Redis and the relay's retries all ran by now; the count stays.
    await expect
      .poll(() => count(sql`select count(*)::text as n from outbox_events where processed_at is null`), POLL)
      .toBe(0);
    expect(await counted()).toBe(leads);
    // The other effect, arming the SLA deadline (repeatable, no marker): every lead's timer is in the queue.
    const ids = await t.rows<{ id: string }>(sql`select id from inquiries`);
    const states = await Promise.all(ids.map(({ id }) => t!.hub.jobs.state(SLA_QUEUE, deadlineTimer.jobId(id))));
    expect(states.filter((state) => state === undefined)).toEqual([]);
  }, 120_000);
});
