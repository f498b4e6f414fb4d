// The job driver for services mode (REDIS_URL): BullMQ queues on Redis, shared by every hub and worker process.
import { randomUUID } from "node:crypto";
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  assertJobId,
  DEFAULT_ATTEMPTS,
  describeError,
  HopelessJobError,
  KEEP_COMPLETED_MS,
  retryDelayMs,
  type EnqueueResult,
  type FailedJob,
  type JobDriver,
  type JobHandler,
  type JobOptions,
  type JobState,
  type NewJob,
  type QueueStats,
} from "./driver";

export interface BullMqDriverOptions {
  /** Key prefix in Redis; tests give each run its own. */
  prefix?: string;
  /** A producer call (enqueue, cancel, stats, …) that Redis has not answered by then fails, rather than hang. */
  answerWithinMs?: number;
  random?: () => number;
  /** How often the marker key is looked at besides every reconnect (a flush or an eviction comes with none). */
  markerCheckMs?: number;
  /** How long a worker's claim lasts without renewal, and how often stalled jobs are looked for (JOB_CLAIM_SECONDS). */
  claimMs?: number;
}

/** The marker outlives its last check by this much: a process that died leaves no key behind for long. */
const MARKER_TTL_MS = 10 * 60_000;

const failedJob = (queue: string, job: BullJob): FailedJob => ({
  id: job.id!,
  queue,
  name: job.name,
  data: job.data,
  attemptsMade: job.attemptsMade,
  lastError: job.failedReason ?? null,
  failedAt: job.finishedOn ? new Date(job.finishedOn) : null,
});

/** Completed jobs are kept a day for the health view; dead letters stay until an operator retries or clears them. */
const KEEP_COMPLETED = { age: KEEP_COMPLETED_MS / 1000 };

export class BullMqJobDriver implements JobDriver {
  readonly kind = "bullmq";
  /** Workers' connection: blocking commands, and BullMQ needs it never to give up on one. */
  private readonly connection: Redis;
  /** Producers' connection: fails fast while Redis is down, so callers (the outbox relay) can retry later. */
  private readonly producer: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private readonly prefix: string;
  private readonly random: () => number;
  private readonly answerWithinMs: number;
  private readonly claimMs: number;
  /** This process's own key: written at the first connection, its absence later means Redis lost what it held. */
  private readonly marker: string;
  private markerWritten = false;
  private readonly markerTimer: NodeJS.Timeout;
  private readonly lostListeners: Array<(reason: string) => void> = [];

  constructor(
    redisUrl: string,
    private readonly logger: Logger,
    options: BullMqDriverOptions = {},
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.producer = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    // ioredis reconnects by itself; without listeners its "error" events would be unhandled.
    for (const redis of [this.connection, this.producer]) {
      redis.on("error", (error) => this.logger.debug({ err: error }, "redis connection error"));
    }
    this.prefix = options.prefix ?? "hub";
    this.random = options.random ?? Math.random;
    this.answerWithinMs = options.answerWithinMs ?? 5000;
    this.claimMs = options.claimMs ?? 30_000;
    this.marker = `${this.prefix}:process:${randomUUID()}`;
    // "ready" comes at the first connection and again after every reconnect: a restarted Redis shows itself there.
    this.producer.on("ready", () => void this.checkMarker());
    this.markerTimer = setInterval(() => void this.checkMarker(), options.markerCheckMs ?? 30_000).unref();
  }

  onJobsLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /**
   * Writes this process's marker key, or finds it gone. Gone after it was written, Redis lost what it held: a
   * restart without persistence, a flush, an eviction. A check that fails (Redis down again) waits for the next one.
   */
  private async checkMarker(): Promise<void> {
    if (this.producer.status !== "ready") return;
    try {
      const absent = (await this.producer.set(this.marker, "1", "PX", MARKER_TTL_MS, "NX")) === "OK";
      if (!absent) {
        await this.producer.pexpire(this.marker, MARKER_TTL_MS);
        return;
      }
      if (!this.markerWritten) {
        this.markerWritten = true;
        return;
      }
      const reason =
        "Redis no longer holds this process's marker key: it restarted without persistence, was flushed or evicted keys";
      this.logger.warn({ marker: this.marker }, `${reason}; its queued jobs are gone`);
      for (const listener of this.lostListeners) listener(reason);
    } catch (error) {
      this.logger.debug({ err: error }, "could not check the marker key; checked again later");
    }
  }

  /**
   * BullMQ waits for a connection that was never ready rather than fail (the fail-fast producer only helps once it
   * has connected): a Redis unreachable from the start would hang the outbox relay. Callers get an error instead,
   * and retry; an add that goes through later is harmless, the job id deduplicates.
   */
  private answered<T>(operation: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${this.answerWithinMs} ms`)),
        this.answerWithinMs,
      );
    });
    operation.catch(() => undefined); // a late failure after the timeout is already reported
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  }

  enqueue(queue: string, name: string, data: unknown, options: JobOptions = {}): Promise<EnqueueResult> {
    return this.answered(this.enqueueNow(queue, name, data, options));
  }

  private async enqueueNow(
    queue: string,
    name: string,
    data: unknown,
    options: JobOptions = {},
  ): Promise<EnqueueResult> {
    const id = options.jobId ?? randomUUID();
    assertJobId(id);
    const target = this.queue(queue);
    // BullMQ ignores an add whose id exists; looking first is what tells the caller so.
    if (options.jobId && (await target.getJob(id))) return { id, created: false };
    await target.add(name, data ?? null, {
      jobId: id,
      delay: Math.max(0, options.delayMs ?? 0),
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: "hub" },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: false,
    });
    return { id, created: true };
  }

  async enqueueMany(queue: string, batch: readonly NewJob[]): Promise<void> {
    if (batch.length === 0) return;
    for (const job of batch) assertJobId(job.jobId);
    // addBulk is one MULTI: a job whose id exists is left as it is, like add's.
    await this.answered(
      this.queue(queue).addBulk(
        batch.map((job) => ({
          name: job.name,
          data: job.data ?? null,
          opts: {
            jobId: job.jobId,
            attempts: DEFAULT_ATTEMPTS,
            backoff: { type: "hub" },
            removeOnComplete: KEEP_COMPLETED,
            removeOnFail: false,
          },
        })),
      ),
    );
  }

  cancel(queue: string, jobId: string): Promise<boolean> {
    return this.answered(this.cancelNow(queue, jobId));
  }

  private async cancelNow(queue: string, jobId: string): Promise<boolean> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state !== "waiting" && state !== "delayed" && state !== "prioritized") return false;
    await job.remove();
    return true;
  }

  process(queue: string, handler: JobHandler, options: { concurrency?: number } = {}): void {
    if (this.workers.has(queue)) throw new Error(`queue "${queue}" already has a worker in this process`);
    const worker = new Worker(
      queue,
      async (job) => {
        try {
          await handler({
            id: job.id!,
            queue,
            name: job.name,
            data: job.data,
            attempt: job.attemptsMade + 1,
            maxAttempts: job.opts.attempts ?? 1,
          });
        } catch (error) {
          if (error instanceof HopelessJobError) throw new UnrecoverableError(describeError(error));
          // BullMQ keeps only the message as the failed reason: put the causes into it.
          throw new Error(describeError(error), { cause: error });
        }
      },
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: options.concurrency ?? 1,
        lockDuration: this.claimMs,
        stalledInterval: this.claimMs,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade, this.random) },
      },
    );
    worker.on("failed", (job, error) =>
      this.logger.warn({ err: error, queue, jobId: job?.id, attempt: job?.attemptsMade }, "job failed"),
    );
    // Without a listener an "error" event would crash the process; Redis outages surface here and BullMQ reconnects.
    worker.on("error", (error) => this.logger.error({ err: error, queue }, "job worker error"));
    this.workers.set(queue, worker);
  }

  stats(queue: string): Promise<QueueStats> {
    return this.answered(this.statsNow(queue));
  }

  private async statsNow(queue: string): Promise<QueueStats> {
    const target = this.queue(queue);
    const counts = await target.getJobCounts("waiting", "prioritized", "delayed", "active", "completed", "failed");
    const [oldest] = await target.getJobs(["waiting"], 0, 0, true);
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
      completed: counts.completed ?? 0,
      failed: counts.failed ?? 0,
      // A job is due from its creation plus its delay; the lag is how long it has waited since.
      oldestWaitingMs: oldest ? Math.max(0, Date.now() - oldest.timestamp - (oldest.delay ?? 0)) : null,
    };
  }

  state(queue: string, jobId: string): Promise<JobState | undefined> {
    return this.answered(this.stateNow(queue, jobId));
  }

  private async stateNow(queue: string, jobId: string): Promise<JobState | undefined> {
    const state = await this.queue(queue).getJobState(jobId);
    if (state === "unknown") return undefined;
    if (state === "prioritized" || state === "waiting-children") return "waiting";
    return state as JobState;
  }

  listFailed(queue: string, limit: number): Promise<FailedJob[]> {
    return this.answered(this.listFailedNow(queue, limit));
  }

  private async listFailedNow(queue: string, limit: number): Promise<FailedJob[]> {
    const failed = await this.queue(queue).getFailed(0, limit - 1);
    return failed.map((job) => failedJob(queue, job));
  }

  /** Requeued in Redis at once: a caller's transaction (`within`) cannot hold it back. */
  retryFailed(queue: string, jobId: string): Promise<FailedJob | undefined> {
    return this.answered(this.retryFailedNow(queue, jobId));
  }

  private async retryFailedNow(queue: string, jobId: string): Promise<FailedJob | undefined> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job || (await job.getState()) !== "failed") return undefined;
    const before = failedJob(queue, job);
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    return before;
  }

  async warnings(): Promise<string[]> {
    const policy = await this.evictionPolicy();
    if (policy === "noeviction") return [];
    if (policy === "unreachable") return ["Redis does not answer: events wait in the outbox until it does."];
    if (policy === "unknown") return ["Redis does not say its maxmemory-policy: make sure it is noeviction."];
    return [
      `Redis maxmemory-policy is ${policy}, not noeviction: under memory pressure Redis may drop queued jobs. Set it to noeviction.`,
    ];
  }

  /** BullMQ removes completed jobs itself (removeOnComplete, the same age); this cleans what an older setting left. */
  async pruneCompleted(olderThanMs: number): Promise<number> {
    let removed = 0;
    for (const queue of this.queues.values()) removed += (await queue.clean(olderThanMs, 1000, "completed")).length;
    return removed;
  }

  async close(): Promise<void> {
    clearInterval(this.markerTimer);
    // Worker.close() waits for the jobs in flight; queues and the connection go after.
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    // A connection that is not up would wait for Redis to close politely: it is dropped instead.
    for (const redis of [this.connection, this.producer]) if (redis.status !== "ready") redis.disconnect();
    await Promise.all([...this.queues.values()].map((q) => this.answered(q.close()).catch(() => undefined)));
    await Promise.all(
      [this.connection, this.producer].map((r) =>
        r.status === "ready" ? r.quit().catch(() => r.disconnect()) : r.disconnect(),
      ),
    );
  }

  /**
   * Redis's eviction policy. Anything but `noeviction` lets Redis drop queue keys under memory pressure, and jobs
   * with them. Waits for the connection up to `timeoutMs`: "unreachable" when Redis does not answer by then,
   * "unknown" when it refuses CONFIG (as some managed services do).
   */
  async evictionPolicy(timeoutMs = this.answerWithinMs): Promise<string> {
    const answer = (this.connection.config("GET", "maxmemory-policy") as Promise<string[]>).then(
      (reply) => reply[1] ?? "unknown",
      () => "unknown",
    );
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("unreachable"), timeoutMs).unref());
    return Promise.race([answer, timeout]);
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.producer, prefix: this.prefix });
      // A Queue emits "error" while Redis is down; unheard, BullMQ prints it raw. The callers see the failure anyway.
      queue.on("error", (error) => this.logger.debug({ err: error, queue: name }, "queue connection error"));
      // BullMQ keeps a failed start for good (its first command met a connection that had just dropped, as when
      // Redis restarts): that Queue would refuse every later call. It is forgotten; the next call makes another.
      const made = queue;
      made.waitUntilReady().catch(() => {
        if (this.queues.get(name) === made) this.queues.delete(name);
        void made.close().catch(() => undefined);
      });
      this.queues.set(name, queue);
    }
    return queue;
  }
}
