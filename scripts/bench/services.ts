// Services mode for the benchmark: BullMQ on Redis under a key prefix of the run's own, the worker process
// (HUB_ROLE=worker), what is still queued, and the prefix's keys removed at the end.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { EVENTS_QUEUE } from "../../hub/core/jobs/queues";
import { type Child, childEnv, ROOT, track } from "./children";

export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export interface BenchRedis {
  url: string;
  /** REDIS_PREFIX for the hub processes: nothing of theirs meets another run's or another hub's keys. */
  prefix: string;
  /** Outbox events waiting in BullMQ's events queue, or being run: delayed timers are meant to wait. */
  eventsQueued(): Promise<number>;
  /** How many BullMQ workers take the events queue. */
  eventWorkers(): Promise<number>;
  /** Deletes every key under the prefix and disconnects. */
  close(): Promise<void>;
}

/** Redis at REDIS_URL (default redis://127.0.0.1:6379) under a new prefix; throws when it does not answer. */
export async function benchRedis(url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL): Promise<BenchRedis> {
  const prefix = `hub_bench_${randomBytes(6).toString("hex")}`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on("error", () => undefined); // a failed command says it; ioredis would print each reconnect otherwise
  await redis.connect();
  await redis.ping();
  const events = new Queue(EVENTS_QUEUE, { connection: redis, prefix });
  return {
    url,
    prefix,
    async eventsQueued() {
      const counts = await events.getJobCounts("waiting", "prioritized", "active");
      return (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0);
    },
    eventWorkers: () => events.getWorkersCount(),
    async close() {
      await events.close();
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== "0");
      await redis.quit();
    },
  };
}

/**
 * `node --import tsx hub/main.ts` with HUB_ROLE=worker: it serves no HTTP, so it is ready once its BullMQ worker
 * takes the events queue.
 */
export async function startWorker(redis: BenchRedis, env: Record<string, string>, timeoutMs = 120_000): Promise<Child> {
  const before = await redis.eventWorkers();
  const child = spawn(process.execPath, ["--import", "tsx", "hub/main.ts"], {
    cwd: ROOT,
    env: childEnv({
      LOG_LEVEL: "warn",
      ...env,
      HUB_ROLE: "worker",
      REDIS_URL: redis.url,
      REDIS_PREFIX: redis.prefix,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const worker = track(child, "", false);
  const deadline = Date.now() + timeoutMs;
  while ((await redis.eventWorkers()) <= before) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`worker exited before it was ready:\n${worker.tail()}`);
    if (Date.now() > deadline) {
      await worker.stop();
      throw new Error(`worker not ready after ${timeoutMs} ms:\n${worker.tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return worker;
}
