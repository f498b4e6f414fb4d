// The BullMQ driver against a real Redis (REDIS_URL): the same contract as the in-process driver.
import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { BullMqJobDriver } from "../../../../hub/core/jobs/bullmq";
import { deleteRedisPrefix, freePort, newRedisPrefix, testRedisUrl as redisUrl } from "../../../support/redis";
import { londonDate } from "../../../../hub/core/time";
import { startHub } from "../../../support/hub";
import { runJobDriverContract } from "./contract";

const prefix = newRedisPrefix();
const logger = pino({ level: "silent" });

describe.runIf(redisUrl)("BullMQ driver", () => {
  afterAll(() => deleteRedisPrefix(redisUrl!, prefix));

  runJobDriverContract("bullmq", async (options) => {
    const driver = new BullMqJobDriver(redisUrl!, logger, { prefix, ...options });
    return { driver, cleanup: () => driver.close() };
  });

  it("fails, rather than hang, when Redis has never answered; and says so as a warning", async () => {
    const driver = new BullMqJobDriver(`redis://127.0.0.1:${await freePort()}`, logger, {
      prefix,
      answerWithinMs: 300,
    });
    try {
      const started = Date.now();
      await expect(driver.enqueue("events", "x", {}, { jobId: "never-1" })).rejects.toThrow(
        "Redis did not answer within 300 ms",
      );
      await expect(driver.stats("events")).rejects.toThrow("Redis did not answer");
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await driver.warnings()).toEqual(["Redis does not answer: events wait in the outbox until it does."]);
    } finally {
      await driver.close();
    }
  }, 15_000);

  it("carries a hub's events end to end: an inquiry is counted once in the daily metrics", async () => {
    const t = await startHub();
    try {
      expect(t.hub.jobs.kind).toBe("bullmq");
      // Received now: an inquiry from the past would breach its SLA at once, and that event is a job of its own.
      const receivedAt = new Date();
      const res = await t.request("POST", "/inquiries", {
        body: { source: "web_form", client: { email: "redis@example.com" }, received_at: receivedAt.toISOString() },
      });
      expect(res.status).toBe(201);
      const count = async () =>
        (
          await t.hub.database.rows<{ n: number }>(
            sql`select total_count as n from inquiry_metrics_daily where date_london = ${londonDate(receivedAt)} and source = 'web_form'`,
          )
        )[0]?.n ?? 0;
      await expect.poll(count, { timeout: 10_000, interval: 50 }).toBe(1);
      await expect.poll(() => t.hub.jobs.stats("events").then((s) => s.completed), { timeout: 5_000 }).toBe(1);
      expect(await count()).toBe(1);
    } finally {
      await t.stop();
    }
  });

  it("keeps its state in Redis under its prefix", async () => {
    const driver = new BullMqJobDriver(redisUrl!, logger, { prefix });
    await driver.enqueue("prefixed", "x", {}, { jobId: "one" });
    const redis = new Redis(redisUrl!);
    expect(await redis.exists(`${prefix}:prefixed:one`)).toBe(1);
    await redis.quit();
    await driver.close();
  });
});
