// Redis servers of the tests' own: one that goes away and comes back, one with a dangerous eviction policy.
import type { ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { startHub } from "../../../support/hub";
import { freePort, startRedisServer, stopRedisServer, testRedisUrl } from "../../../support/redis";

// Runs in the Redis pass of the suite, where redis-server is known to be installed.
describe.runIf(testRedisUrl)("when Redis goes down", () => {
  let redis: ChildProcess | undefined;
  afterAll(async () => {
    if (redis && redis.exitCode === null) await stopRedisServer(redis);
  });

  it("keeps taking inquiries, and publishes their events once each when Redis is back", async () => {
    const port = await freePort();
    redis = await startRedisServer(port);
    const t = await startHub({
      overrides: { relayOptions: { pollMs: 50, retryMs: 200 } },
      redisUrl: `redis://127.0.0.1:${port}`,
    });
    const counted = async () =>
      Number(
        (
          await t.hub.database.rows<{ n: string }>(
            sql`select coalesce(sum(total_count), 0)::text as n from inquiry_metrics_daily`,
          )
        )[0]!.n,
      );
    const post = (i: number) =>
      t.request("POST", "/inquiries", { body: { source: "web_form", client: { email: `outage${i}@example.com` } } });
    try {
      expect((await post(0)).status).toBe(201);
      await expect.poll(counted, { timeout: 10_000, interval: 50 }).toBe(1);

      await stopRedisServer(redis);
      const during = await Promise.all([1, 2, 3].map(post));
      expect(during.map((r) => r.status)).toEqual([201, 201, 201]);
      // The events wait in the outbox, with the reason they could not go.
      await expect
        .poll(
          async () =>
            (
              await t.hub.database.rows<{ n: string }>(
                sql`select count(*)::text as n from outbox_events where published_at is null and last_error is not null`,
              )
            )[0]!.n,
          { timeout: 10_000, interval: 50 },
        )
        .toBe("3");
      expect(await counted()).toBe(1);

      redis = await startRedisServer(port);
      await expect.poll(counted, { timeout: 20_000, interval: 100 }).toBe(4);
      const outbox = await t.hub.database.rows<{ unpublished: string; markers: string }>(sql`
        select (select count(*) from outbox_events where published_at is null)::text as unpublished,
               (select count(*) from processed_events where handler = 'metrics.count-inquiries')::text as markers`);
      expect(outbox[0]).toEqual({ unpublished: "0", markers: "4" });
      // Nothing runs twice: a little later the count is still four.
      await new Promise((r) => setTimeout(r, 500));
      expect(await counted()).toBe(4);
    } finally {
      await t.stop();
    }
  }, 60_000);
});

describe.runIf(testRedisUrl)("a Redis that may evict keys", () => {
  it("is reported with a clear warning at start and on the health view", async () => {
    const port = await freePort();
    const redis = await startRedisServer(port, ["--maxmemory-policy", "allkeys-lru"]);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const t = await startHub({
      overrides: { logger: pino({ level: "warn" }, sink) },
      redisUrl: `redis://127.0.0.1:${port}`,
    });
    try {
      const warning = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes("maxmemory-policy"));
      expect(warning).toMatchObject({ level: 40 });
      expect(warning.msg).toBe(
        "Redis maxmemory-policy is allkeys-lru, not noeviction: under memory pressure Redis may drop queued jobs. Set it to noeviction.",
      );
      const health = await t.request("GET", "/health");
      expect(health.body).toMatchObject({ status: "degraded", warnings: [warning.msg], jobs: { driver: "bullmq" } });
    } finally {
      await t.stop();
      await stopRedisServer(redis);
    }
  });
});
