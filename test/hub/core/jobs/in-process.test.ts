// The in-process driver (jobs in the `jobs` table): the shared contract, plus what only a table-backed driver does.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../../db/client";
import { jobs } from "../../../../db/schema";
import type { Job } from "../../../../hub/core/jobs/driver";
import { InProcessJobDriver, type InProcessDriverOptions } from "../../../../hub/core/jobs/in-process";
import { openTestDatabase } from "../../../support/database";
import { runJobDriverContract } from "./contract";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(() => handle.close());

const logger = pino({ level: "silent" });

runJobDriverContract("in-process", async (options) => {
  const driver = new InProcessJobDriver(handle.db, logger, { pollMs: 20, random: () => 0, ...options });
  return { driver, cleanup: () => driver.close() };
});

describe("in-process driver specifics", () => {
  const drivers: InProcessJobDriver[] = [];
  afterEach(async () => {
    await Promise.all(drivers.splice(0).map((d) => d.close()));
  });
  function newDriver(options: InProcessDriverOptions = {}) {
    const driver = new InProcessJobDriver(handle.db, logger, { pollMs: 20, random: () => 0, ...options });
    drivers.push(driver);
    return driver;
  }
  const newQueue = (label: string) => `in-process-${label}-${randomBytes(5).toString("hex")}`;
  const rowOf = async (queue: string, id: string) =>
    (
      await handle.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.queue, queue), eq(jobs.id, id)))
    )[0];

  it("claims again, and runs, a job whose worker died (claim expired), but not one still held", async () => {
    const queue = newQueue("orphan");
    const driver = newDriver();
    await driver.enqueue(queue, "orphaned", { n: 1 }, { jobId: "orphan-1", attempts: 3 });
    await driver.enqueue(queue, "held", { n: 2 }, { jobId: "held-1", attempts: 3 });
    // Another process claimed both for attempt 1; the first one's worker died, the second's is still working.
    await handle.db
      .update(jobs)
      .set({ status: "active", attemptsMade: 1, lockedUntil: sql`now() - interval '1 second'` })
      .where(and(eq(jobs.queue, queue), eq(jobs.id, "orphan-1")));
    await handle.db
      .update(jobs)
      .set({ status: "active", attemptsMade: 1, lockedUntil: sql`now() + interval '1 minute'` })
      .where(and(eq(jobs.queue, queue), eq(jobs.id, "held-1")));

    const seen: Job[] = [];
    driver.process(queue, async (job) => void seen.push(job));
    await expect.poll(() => seen.length, { timeout: 3000 }).toBe(1);
    expect(seen[0]).toMatchObject({ id: "orphan-1", name: "orphaned", data: { n: 1 }, attempt: 2, maxAttempts: 3 });
    await expect
      .poll(() => rowOf(queue, "orphan-1"))
      .toMatchObject({ status: "completed", attemptsMade: 2, lockedUntil: null });
    expect((await rowOf(queue, "orphan-1"))!.finishedAt).toBeInstanceOf(Date);

    // A window in which nothing more may run: the held job stays with its live claim.
    await sleep(200);
    expect(seen.map((j) => j.id)).toEqual(["orphan-1"]);
    expect(await rowOf(queue, "held-1")).toMatchObject({ status: "active", attemptsMade: 1 });
  });

  it("dead-letters, without running it, a job whose worker died during its last attempt", async () => {
    const queue = newQueue("orphan-last");
    const driver = newDriver();
    await driver.enqueue(queue, "orphaned", {}, { jobId: "last-1", attempts: 2 });
    await handle.db
      .update(jobs)
      .set({ status: "active", attemptsMade: 2, lockedUntil: sql`now() - interval '1 second'` })
      .where(and(eq(jobs.queue, queue), eq(jobs.id, "last-1")));

    let calls = 0;
    driver.process(queue, async () => void calls++);
    await expect.poll(() => driver.stats(queue), { timeout: 3000 }).toMatchObject({ failed: 1, active: 0 });
    expect(calls).toBe(0);
    expect((await rowOf(queue, "last-1"))!.lastError).toMatch(/^HopelessJobError: attempts used up/);
    expect((await driver.listFailed(queue, 10)).map((j) => [j.id, j.attemptsMade])).toEqual([["last-1", 2]]);
  });

  it("records a dead letter's last error and attempts in its row", async () => {
    const queue = newQueue("dead-row");
    const driver = newDriver();
    driver.process(queue, async (job) => {
      throw new Error(`boom on attempt ${job.attempt}`);
    });
    await driver.enqueue(queue, "doomed", {}, { jobId: "dead-1", attempts: 2 });
    await expect.poll(() => rowOf(queue, "dead-1"), { timeout: 5000 }).toMatchObject({ status: "failed" });
    expect(await rowOf(queue, "dead-1")).toMatchObject({
      attemptsMade: 2,
      lastError: "Error: boom on attempt 2",
      lockedUntil: null,
    });
  });

  it("renews a running job's claim, so a job longer than the claim is not taken over by another worker", async () => {
    const queue = newQueue("long");
    const runs: number[] = [];
    const handler = async (job: Job) => {
      runs.push(job.attempt);
      await sleep(1200); // the job's work: longer than the 300 ms claim
    };
    newDriver({ lockMs: 300 }).process(queue, handler);
    await newDriver({ lockMs: 300 }).enqueue(queue, "long", {});
    newDriver({ lockMs: 300 }).process(queue, handler);
    await expect
      .poll(
        async () =>
          (await rowOf(queue, (await handle.db.select().from(jobs).where(eq(jobs.queue, queue)))[0]!.id))?.status,
        { timeout: 5000 },
      )
      .toBe("completed");
    expect(runs).toEqual([1]);
  });

  it("allows one worker per queue in a process", () => {
    const driver = newDriver();
    const queue = newQueue("one-worker");
    driver.process(queue, async () => {});
    expect(() => driver.process(queue, async () => {})).toThrow(/already has a worker/);
  });
});
