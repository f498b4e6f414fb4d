// The behaviour every JobDriver owes its callers, run against each driver (in-process and BullMQ).
// It speaks only the JobDriver interface: nothing here may know how a driver stores its jobs.
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_ATTEMPTS, HopelessJobError, type Job, type JobDriver } from "../../../../hub/core/jobs/driver";

export interface ContractDriverOptions {
  /**
   * The jitter source for retry backoff. The suite passes `() => 0` so that retries wait the minimum (0.5 s, 1 s, ...)
   * and stay fast; a factory should hand it to its driver. The assertions hold for any jitter, only slower.
   */
  random?: () => number;
}

/**
 * Builds a driver for one test. Every driver a factory builds must share one store (one database, one Redis), so
 * that a job enqueued by one driver can be run or inspected by another, as between hub processes.
 */
export type MakeDriver = (
  options?: ContractDriverOptions,
) => Promise<{ driver: JobDriver; cleanup: () => Promise<void> }>;

/** Timestamps come from two clocks (the store's decides when a job is due, the test reads Node's): allow rounding. */
const CLOCK_SLACK_MS = 5;

export function runJobDriverContract(name: string, makeDriver: MakeDriver): void {
  describe(`JobDriver contract: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function newDriver(options: ContractDriverOptions = {}): Promise<JobDriver> {
      const made = await makeDriver({ random: () => 0, ...options });
      cleanups.push(made.cleanup);
      return made.driver;
    }

    /** A queue of its own per test, so tests sharing a store never see each other's jobs. */
    const newQueue = (label: string) => `contract-${label}-${randomBytes(5).toString("hex")}`;

    const statsOf = (driver: JobDriver, queue: string) => () => driver.stats(queue);

    function gate() {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { opened, open };
    }

    it("runs an enqueued job with its id, queue, name, data and attempt number", async () => {
      const driver = await newDriver();
      const queue = newQueue("run");
      const seen: Job[] = [];
      driver.process(queue, async (job) => {
        seen.push(job);
      });

      const data = { text: "hello", n: 42, nested: { list: [1, "two", null], flag: true } };
      const generated = await driver.enqueue(queue, "greet", data);
      const named = await driver.enqueue(queue, "greet-again", { n: 2 }, { jobId: "Named_job-1.a", attempts: 3 });

      expect(generated.created).toBe(true);
      expect(generated.id).toMatch(/^[A-Za-z0-9_.-]{1,128}$/);
      expect(named).toEqual({ id: "Named_job-1.a", created: true });
      await expect.poll(() => seen.length, { timeout: 3000 }).toBe(2);
      const byId = Object.fromEntries(seen.map((job) => [job.id, job]));
      expect(byId[generated.id]).toEqual({
        id: generated.id,
        queue,
        name: "greet",
        data,
        attempt: 1,
        maxAttempts: DEFAULT_ATTEMPTS,
      });
      expect(byId["Named_job-1.a"]).toEqual({
        id: "Named_job-1.a",
        queue,
        name: "greet-again",
        data: { n: 2 },
        attempt: 1,
        maxAttempts: 3,
      });
      await expect.poll(statsOf(driver, queue)).toMatchObject({ completed: 2, failed: 0, waiting: 0, active: 0 });
    });

    it("gives each queue's jobs to that queue's handler only", async () => {
      const driver = await newDriver();
      const [a, b] = [newQueue("iso-a"), newQueue("iso-b")];
      const seenA: unknown[] = [];
      const seenB: unknown[] = [];
      driver.process(a, async (job) => void seenA.push(job.data));
      driver.process(b, async (job) => void seenB.push(job.data));

      await driver.enqueue(a, "x", { to: "a" });
      await driver.enqueue(b, "x", { to: "b" });
      await driver.enqueue(a, "x", { to: "a", again: true });

      await expect.poll(() => seenA.length + seenB.length, { timeout: 3000 }).toBe(3);
      expect(seenA).toEqual(expect.arrayContaining([{ to: "a" }, { to: "a", again: true }]));
      expect(seenB).toEqual([{ to: "b" }]);
    });

    it("does not run a delayed job early, and runs it within a second of its due time", async () => {
      const driver = await newDriver();
      const queue = newQueue("delay");
      let ranAt: number | undefined;
      driver.process(queue, async () => {
        ranAt = Date.now();
      });

      const enqueuedAt = Date.now();
      await driver.enqueue(queue, "later", { n: 1 }, { delayMs: 700 });
      await sleep(300); // a window, short of the delay, in which the job may not run
      expect(await driver.stats(queue)).toMatchObject({ delayed: 1, waiting: 0, active: 0, completed: 0 });
      expect(ranAt).toBeUndefined();

      await expect.poll(() => ranAt, { timeout: 3000, interval: 10 }).toBeDefined();
      expect(ranAt! - enqueuedAt).toBeGreaterThanOrEqual(700 - CLOCK_SLACK_MS);
      expect(ranAt! - enqueuedAt).toBeLessThan(1700);
    });

    it("runs a job once when its id is enqueued twice; the second enqueue reports created=false", async () => {
      const driver = await newDriver();
      const queue = newQueue("dedupe");
      const first = await driver.enqueue(queue, "once", { copy: 1 }, { jobId: "dedupe-1" });
      const second = await driver.enqueue(queue, "once", { copy: 2 }, { jobId: "dedupe-1" });
      expect(first).toEqual({ id: "dedupe-1", created: true });
      expect(second).toEqual({ id: "dedupe-1", created: false });
      expect(await driver.stats(queue)).toMatchObject({ waiting: 1, delayed: 0 });

      // The id is unique per queue, not across queues.
      const otherQueue = newQueue("dedupe-other");
      expect(await driver.enqueue(otherQueue, "once", { copy: 3 }, { jobId: "dedupe-1" })).toEqual({
        id: "dedupe-1",
        created: true,
      });

      const runs: unknown[] = [];
      driver.process(queue, async (job) => void runs.push(job.data));
      await expect
        .poll(statsOf(driver, queue), { timeout: 3000 })
        .toMatchObject({ completed: 1, waiting: 0, active: 0 });
      await sleep(150); // a window in which the copy may not run
      expect(runs).toEqual([{ copy: 1 }]);
    });

    it("rejects job ids outside letters, digits, '_', '-' and '.' (BullMQ reserves ':')", async () => {
      const driver = await newDriver();
      const queue = newQueue("ids");
      for (const jobId of ["event:1", "a:b:c", "", "with space", "slash/id", "x".repeat(129)]) {
        await expect(driver.enqueue(queue, "bad", {}, { jobId }), JSON.stringify(jobId)).rejects.toBeInstanceOf(
          TypeError,
        );
      }
      expect(await driver.stats(queue)).toMatchObject({ waiting: 0, delayed: 0 });
      expect(await driver.enqueue(queue, "good", {}, { jobId: `${"x".repeat(120)}_-.AZ09` })).toMatchObject({
        created: true,
      });
    });

    it("cancels a delayed job so it never runs; false for unknown and finished jobs", async () => {
      const driver = await newDriver();
      const queue = newQueue("cancel");
      const runs: string[] = [];
      driver.process(queue, async (job) => void runs.push(job.id));

      await driver.enqueue(queue, "timer", { n: 1 }, { jobId: "timer-1", delayMs: 300 });
      expect(await driver.cancel(queue, "timer-1")).toBe(true);
      expect(await driver.cancel(queue, "timer-1")).toBe(false);
      expect(await driver.cancel(queue, "no-such-job")).toBe(false);
      expect(await driver.cancel(newQueue("cancel-elsewhere"), "timer-1")).toBe(false);
      expect(await driver.stats(queue)).toMatchObject({ waiting: 0, delayed: 0 });

      // The id is free again: a timer can be re-armed.
      await driver.enqueue(queue, "now", {}, { jobId: "done-1" });
      await expect.poll(() => runs, { timeout: 3000 }).toEqual(["done-1"]);
      await expect.poll(statsOf(driver, queue)).toMatchObject({ completed: 1, active: 0 });
      expect(await driver.cancel(queue, "done-1")).toBe(false);

      await sleep(500); // well past the cancelled timer's due time
      expect(runs).toEqual(["done-1"]);
      expect(await driver.enqueue(queue, "timer", { n: 2 }, { jobId: "timer-1" })).toEqual({
        id: "timer-1",
        created: true,
      });
      await expect.poll(() => runs, { timeout: 3000 }).toEqual(["done-1", "timer-1"]);
    });

    it("retries a failing handler with growing backoff until an attempt succeeds", async () => {
      const driver = await newDriver();
      const queue = newQueue("retry");
      const attempts: Array<{ attempt: number; maxAttempts: number; at: number }> = [];
      driver.process(queue, async (job) => {
        attempts.push({ attempt: job.attempt, maxAttempts: job.maxAttempts, at: Date.now() });
        if (job.attempt < 3) throw new Error(`attempt ${job.attempt} fails`);
      });

      await driver.enqueue(queue, "flaky", { n: 1 }, { attempts: 4 });
      await expect.poll(() => attempts.length, { timeout: 3000, interval: 10 }).toBe(1);
      // Between attempts the job waits out its backoff as a delayed job.
      await expect.poll(statsOf(driver, queue), { interval: 10 }).toMatchObject({ delayed: 1, active: 0, failed: 0 });

      await expect.poll(statsOf(driver, queue), { timeout: 6000 }).toMatchObject({ completed: 1 });
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
      expect(attempts.every((a) => a.maxAttempts === 4)).toBe(true);
      const [first, second, third] = attempts.map((a) => a.at);
      // 1 s base with equal jitter: at least 0.5 s, then at least 1 s; at most 1 s, then 2 s (plus polling).
      expect(second! - first!).toBeGreaterThanOrEqual(500 - CLOCK_SLACK_MS);
      expect(second! - first!).toBeLessThan(2000);
      expect(third! - second!).toBeGreaterThanOrEqual(1000 - CLOCK_SLACK_MS);
      expect(third! - second!).toBeLessThan(3000);
      expect(await driver.stats(queue)).toMatchObject({ waiting: 0, delayed: 0, active: 0, completed: 1, failed: 0 });
    });

    it("keeps a job that failed its last attempt as a dead letter", async () => {
      const driver = await newDriver();
      const queue = newQueue("dead");
      const attempts: number[] = [];
      driver.process(queue, async (job) => {
        attempts.push(job.attempt);
        throw new Error("always fails");
      });

      await driver.enqueue(queue, "doomed", {}, { attempts: 2 });
      await expect.poll(statsOf(driver, queue), { timeout: 5000 }).toMatchObject({ failed: 1 });
      expect(await driver.stats(queue)).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 1,
        oldestWaitingMs: null,
      });
      await sleep(300); // a window in which no third attempt may come
      expect(attempts).toEqual([1, 2]);
      expect(await driver.stats(queue)).toMatchObject({ failed: 1, completed: 0, delayed: 0 });
    });

    it("lists dead letters with their last error, and retries one with a fresh set of attempts", async () => {
      const driver = await newDriver();
      const queue = newQueue("letters");
      let healed = false;
      const runs: number[] = [];
      driver.process(queue, async (job) => {
        runs.push(job.attempt);
        if (!healed) throw new Error(`broken on attempt ${job.attempt}`);
      });

      await driver.enqueue(queue, "fragile", { order: 7 }, { jobId: "fragile-1", attempts: 2 });
      await expect.poll(statsOf(driver, queue), { timeout: 5000 }).toMatchObject({ failed: 1 });
      const [letter, ...more] = await driver.listFailed(queue, 10);
      expect(more).toEqual([]);
      expect(letter).toMatchObject({ id: "fragile-1", queue, name: "fragile", data: { order: 7 }, attemptsMade: 2 });
      expect(letter!.lastError).toContain("broken on attempt 2");
      expect(letter!.failedAt).toBeInstanceOf(Date);

      expect(await driver.retryFailed(queue, "no-such-job")).toBeUndefined();
      healed = true;
      expect(await driver.retryFailed(queue, "fragile-1")).toEqual(letter);
      await expect.poll(statsOf(driver, queue), { timeout: 5000 }).toMatchObject({ failed: 0, completed: 1 });
      expect(runs).toEqual([1, 2, 1]);
      expect(await driver.listFailed(queue, 10)).toEqual([]);
      // Only a dead letter can be retried: the job is done now.
      expect(await driver.retryFailed(queue, "fragile-1")).toBeUndefined();
    });

    it("tells where a job is: waiting, delayed, completed, failed, or unknown", async () => {
      const driver = await newDriver();
      const queue = newQueue("state");
      await driver.enqueue(queue, "now", {}, { jobId: "now-1" });
      await driver.enqueue(queue, "later", {}, { jobId: "later-1", delayMs: 60_000 });
      expect(await driver.state(queue, "now-1")).toBe("waiting");
      expect(await driver.state(queue, "later-1")).toBe("delayed");
      expect(await driver.state(queue, "nobody")).toBeUndefined();
      driver.process(queue, async (job) => {
        if (job.name === "doomed") throw new HopelessJobError("no");
      });
      await driver.enqueue(queue, "doomed", {}, { jobId: "doomed-1" });
      await expect.poll(() => driver.state(queue, "now-1"), { timeout: 5000 }).toBe("completed");
      await expect.poll(() => driver.state(queue, "doomed-1"), { timeout: 5000 }).toBe("failed");
      await driver.cancel(queue, "later-1");
      expect(await driver.state(queue, "later-1")).toBeUndefined();
    });

    it("prunes completed jobs older than asked, and keeps dead letters and newer jobs", async () => {
      const driver = await newDriver();
      const queue = newQueue("prune");
      driver.process(queue, async (job) => {
        if (job.name === "doomed") throw new HopelessJobError("no");
      });
      await driver.enqueue(queue, "done", {}, { jobId: "done-1" });
      await driver.enqueue(queue, "doomed", {}, { jobId: "doomed-1" });
      await expect.poll(statsOf(driver, queue), { timeout: 5000 }).toMatchObject({ completed: 1, failed: 1 });
      expect(await driver.pruneCompleted(3600_000)).toBe(0);
      expect(await driver.state(queue, "done-1")).toBe("completed");
      await sleep(50); // time passing: the completed job is older than 10 ms
      expect(await driver.pruneCompleted(10)).toBeGreaterThanOrEqual(1);
      expect(await driver.state(queue, "done-1")).toBeUndefined();
      expect(await driver.state(queue, "doomed-1")).toBe("failed");
    });

    it("does not retry a HopelessJobError: one call, straight to dead letters", async () => {
      const driver = await newDriver();
      const queue = newQueue("hopeless");
      let calls = 0;
      driver.process(queue, async () => {
        calls++;
        throw new HopelessJobError("the thing this job was about is gone");
      });

      await driver.enqueue(queue, "hopeless", {}, { attempts: 5 });
      await expect.poll(statsOf(driver, queue), { timeout: 3000 }).toMatchObject({ failed: 1 });
      await sleep(600); // past the shortest retry delay (0.5 s): a retry would have run by now
      expect(calls).toBe(1);
      expect(await driver.stats(queue)).toEqual({
        waiting: 0,
        delayed: 0,
        active: 0,
        completed: 0,
        failed: 1,
        oldestWaitingMs: null,
      });
    });

    it("reports waiting, delayed, active, completed and the oldest waiting job's age, per queue", async () => {
      const driver = await newDriver();
      const queue = newQueue("stats");
      const empty = { waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0, oldestWaitingMs: null };
      expect(await driver.stats(queue)).toEqual(empty);

      await driver.enqueue(queue, "a", { n: 1 });
      await driver.enqueue(queue, "b", { n: 2 });
      await driver.enqueue(queue, "c", { n: 3 }, { jobId: "later", delayMs: 60_000 });
      await sleep(120); // time passing, with no worker: the waiting jobs grow old
      const lagging = await driver.stats(queue);
      expect(lagging).toMatchObject({ waiting: 2, delayed: 1, active: 0, completed: 0, failed: 0 });
      expect(lagging.oldestWaitingMs).toBeGreaterThanOrEqual(120 - CLOCK_SLACK_MS);
      expect(lagging.oldestWaitingMs).toBeLessThan(10_000);
      expect(await driver.stats(newQueue("stats-other"))).toEqual(empty);

      const { opened, open } = gate();
      driver.process(queue, () => opened, { concurrency: 1 });
      await expect.poll(statsOf(driver, queue), { timeout: 3000 }).toMatchObject({ active: 1, waiting: 1, delayed: 1 });
      open();
      await expect.poll(statsOf(driver, queue), { timeout: 3000 }).toEqual({ ...empty, delayed: 1, completed: 2 });
      expect(await driver.cancel(queue, "later")).toBe(true);
      expect(await driver.stats(queue)).toEqual({ ...empty, completed: 2 });
    });

    it("runs up to `concurrency` jobs at once, and one at a time by default", async () => {
      const driver = await newDriver();
      const queue = newQueue("concurrency");
      let running = 0;
      let peak = 0;
      let done = 0;
      const { opened, open } = gate();
      driver.process(
        queue,
        async () => {
          peak = Math.max(peak, ++running);
          await opened;
          running--;
          done++;
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 5; i++) await driver.enqueue(queue, "parallel", { i });

      await expect.poll(() => running, { timeout: 3000 }).toBe(3);
      await sleep(150); // a window in which no fourth may start
      expect(running).toBe(3);
      expect(await driver.stats(queue)).toMatchObject({ active: 3, waiting: 2 });
      open();
      await expect.poll(() => done, { timeout: 3000 }).toBe(5);
      expect(peak).toBe(3);

      const serial = newQueue("serial");
      let serialRunning = 0;
      let serialPeak = 0;
      driver.process(serial, async () => {
        serialPeak = Math.max(serialPeak, ++serialRunning);
        await sleep(30); // the job's work
        serialRunning--;
      });
      for (let i = 0; i < 3; i++) await driver.enqueue(serial, "serial", { i });
      await expect.poll(statsOf(driver, serial), { timeout: 3000 }).toMatchObject({ completed: 3 });
      expect(serialPeak).toBe(1);
    });

    it("close() waits for the job in flight to finish and record its outcome", async () => {
      const driver = await newDriver();
      const queue = newQueue("close");
      let started = false;
      let finished = false;
      driver.process(queue, async () => {
        started = true;
        await sleep(300); // the job's work
        finished = true;
      });
      await driver.enqueue(queue, "slow", {});
      await expect.poll(() => started, { timeout: 3000, interval: 5 }).toBe(true);

      await driver.close();
      expect(finished).toBe(true);
      const observer = await newDriver();
      expect(await observer.stats(queue)).toMatchObject({ completed: 1, active: 0, waiting: 0 });
    });

    it("leaves no handler running, or starting, once close() resolves", async () => {
      // Close at several points around the moment a worker picks a job up.
      for (const delayMs of [0, 1, 3, 10, 30]) {
        const driver = await newDriver();
        const queue = newQueue(`close-race-${delayMs}`);
        let closed = false;
        let running = 0;
        let startedAfterClose = 0;
        driver.process(queue, async () => {
          if (closed) startedAfterClose++;
          running++;
          await sleep(100); // the job's work
          running--;
        });
        await driver.enqueue(queue, "racing", { delayMs });
        await sleep(delayMs); // closes at this moment after the enqueue, racing the pick-up
        await driver.close();
        closed = true;
        expect(running, `closed ${delayMs} ms after enqueue`).toBe(0);
        await sleep(150); // a window in which nothing may start after close
        expect(startedAfterClose, `closed ${delayMs} ms after enqueue`).toBe(0);
      }
    });

    it("keeps jobs in the shared store: enqueued by one driver, run by another after the first closed", async () => {
      const first = await newDriver();
      const queue = newQueue("durable");
      let firstRuns = 0;
      first.process(queue, async () => void firstRuns++);
      await first.close();

      const second = await newDriver();
      await second.enqueue(queue, "survivor", { kept: true }, { jobId: "survivor-1" });
      await sleep(150); // a window in which the closed driver may not take it
      expect(firstRuns).toBe(0); // a closed driver takes no new jobs
      expect(await second.stats(queue)).toMatchObject({ waiting: 1 });

      const third = await newDriver();
      const seen: Job[] = [];
      third.process(queue, async (job) => void seen.push(job));
      await expect.poll(() => seen.length, { timeout: 3000 }).toBe(1);
      expect(seen[0]).toMatchObject({ id: "survivor-1", name: "survivor", data: { kept: true }, attempt: 1 });
      expect(firstRuns).toBe(0);
    });
  });
}
