// The embedded default's job driver: jobs live in the `jobs` table and run in this process.
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database, Executor } from "../../../db/client";
import { jobs } from "../../../db/schema";
import {
  assertJobId,
  DEFAULT_ATTEMPTS,
  describeError,
  HopelessJobError,
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

export interface InProcessDriverOptions {
  /** How often an idle worker looks for due jobs; delayed jobs run at most this late. */
  pollMs?: number;
  /**
   * How long a claim lasts without renewal. A live worker renews it every third of this while the job runs, so
   * only a dead worker's job is taken over, this long after it stopped renewing.
   */
  lockMs?: number;
  random?: () => number;
}

interface Worker {
  queue: string;
  handler: JobHandler;
  concurrency: number;
  inFlight: Set<Promise<void>>;
  timer?: NodeJS.Timeout;
  /** The poll under way, if any: close() waits for it, since the jobs it claims are in flight too. */
  polling?: Promise<void>;
}

const failedJob = (row: typeof jobs.$inferSelect): FailedJob => ({
  id: row.id,
  queue: row.queue,
  name: row.name,
  data: row.data,
  attemptsMade: row.attemptsMade,
  lastError: row.lastError,
  failedAt: row.finishedAt,
});

export class InProcessJobDriver implements JobDriver {
  readonly kind = "in-process";
  private readonly workers = new Map<string, Worker>();
  private closed = false;
  private readonly pollMs: number;
  private readonly lockMs: number;
  private readonly random: () => number;

  /** The two statements every job runs, built once: drizzle would build their SQL again on every call. */
  private readonly claimDue: ReturnType<typeof prepareClaim>;
  private readonly complete: ReturnType<typeof prepareComplete>;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    options: InProcessDriverOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 250;
    this.lockMs = options.lockMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.claimDue = prepareClaim(db, this.lockMs);
    this.complete = prepareComplete(db);
  }

  async enqueue(queue: string, name: string, data: unknown, options: JobOptions = {}): Promise<EnqueueResult> {
    const id = options.jobId ?? randomUUID();
    assertJobId(id);
    const delayMs = Math.max(0, options.delayMs ?? 0);
    // The database clock decides when a job is due, so processes with skewed clocks agree.
    const inserted = await this.db
      .insert(jobs)
      .values({
        queue,
        id,
        name,
        data: data ?? null,
        maxAttempts: options.attempts ?? DEFAULT_ATTEMPTS,
        runAt: sql`now() + make_interval(secs => ${delayMs / 1000})`,
      })
      .onConflictDoNothing()
      .returning({ id: jobs.id });
    if (inserted.length > 0 && delayMs === 0) this.wake(queue);
    return { id, created: inserted.length > 0 };
  }

  async enqueueMany(queue: string, batch: readonly NewJob[]): Promise<void> {
    if (batch.length === 0) return;
    for (const job of batch) assertJobId(job.jobId);
    await this.db
      .insert(jobs)
      .values(
        batch.map((job) => ({
          queue,
          id: job.jobId,
          name: job.name,
          data: job.data ?? null,
          maxAttempts: DEFAULT_ATTEMPTS,
          runAt: sql`now()`,
        })),
      )
      .onConflictDoNothing();
    this.wake(queue);
  }

  async cancel(queue: string, jobId: string): Promise<boolean> {
    const removed = await this.db
      .delete(jobs)
      .where(and(eq(jobs.queue, queue), eq(jobs.id, jobId), eq(jobs.status, "waiting")))
      .returning({ id: jobs.id });
    return removed.length > 0;
  }

  /** Jobs are rows in the hub's own database: nothing loses them that would not lose the hub's state too. */
  onJobsLost(): void {}

  process(queue: string, handler: JobHandler, options: { concurrency?: number } = {}): void {
    if (this.workers.has(queue)) throw new Error(`queue "${queue}" already has a worker in this process`);
    const worker: Worker = { queue, handler, concurrency: options.concurrency ?? 1, inFlight: new Set() };
    this.workers.set(queue, worker);
    this.wake(queue);
  }

  async stats(queue: string): Promise<QueueStats> {
    const due = sql`${jobs.status} = 'waiting' and ${jobs.runAt} <= now()`;
    const [row] = await this.db
      .select({
        waiting: sql<number>`count(*) filter (where ${due})`.mapWith(Number),
        delayed: sql<number>`count(*) filter (where ${jobs.status} = 'waiting' and ${jobs.runAt} > now())`.mapWith(
          Number,
        ),
        active: sql<number>`count(*) filter (where ${jobs.status} = 'active')`.mapWith(Number),
        completed: sql<number>`count(*) filter (where ${jobs.status} = 'completed')`.mapWith(Number),
        failed: sql<number>`count(*) filter (where ${jobs.status} = 'failed')`.mapWith(Number),
        oldestWaitingMs: sql<
          number | null
        >`floor(extract(epoch from now() - min(${jobs.runAt}) filter (where ${due})) * 1000)`,
      })
      .from(jobs)
      .where(eq(jobs.queue, queue));
    return { ...row!, oldestWaitingMs: row!.oldestWaitingMs === null ? null : Number(row!.oldestWaitingMs) };
  }

  async state(queue: string, jobId: string): Promise<JobState | undefined> {
    const [row] = await this.db
      .select({ status: jobs.status, delayed: sql<boolean>`${jobs.runAt} > now()` })
      .from(jobs)
      .where(and(eq(jobs.queue, queue), eq(jobs.id, jobId)));
    if (!row) return undefined;
    return row.status === "waiting" && row.delayed ? "delayed" : row.status;
  }

  async listFailed(queue: string, limit: number): Promise<FailedJob[]> {
    const rows = await this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, queue), eq(jobs.status, "failed")))
      .orderBy(desc(jobs.finishedAt))
      .limit(limit);
    return rows.map(failedJob);
  }

  async retryFailed(queue: string, jobId: string, within?: Executor): Promise<FailedJob | undefined> {
    const dead = and(eq(jobs.queue, queue), eq(jobs.id, jobId), eq(jobs.status, "failed"));
    const retry = async (tx: Executor) => {
      const [row] = await tx.select().from(jobs).where(dead).for("update");
      if (row) {
        await tx
          .update(jobs)
          .set({ status: "waiting", attemptsMade: 0, runAt: sql`now()`, finishedAt: null, updatedAt: sql`now()` })
          .where(dead);
      }
      return row;
    };
    // In the caller's transaction when given one: the requeue then commits with the caller's audit entry, or not at
    // all.
    const before = within ? await retry(within) : await this.db.transaction(retry);
    if (!before) return undefined;
    this.wake(queue); // a requeue inside an open transaction is seen at the next poll after it commits
    return failedJob(before);
  }

  /** The jobs live in the hub's own database: nothing more to watch than /health/ready does. */
  async warnings(): Promise<string[]> {
    return [];
  }

  async pruneCompleted(olderThanMs: number): Promise<number> {
    const removed = await this.db
      .delete(jobs)
      .where(
        and(
          eq(jobs.status, "completed"),
          lt(jobs.finishedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`),
        ),
      )
      .returning({ id: jobs.id });
    return removed.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const worker of this.workers.values()) clearTimeout(worker.timer);
    // A poll that was claiming when close() came runs what it claimed; wait for it before collecting the jobs in
    // flight.
    await Promise.allSettled([...this.workers.values()].map((w) => w.polling));
    await Promise.allSettled([...this.workers.values()].flatMap((w) => [...w.inFlight]));
  }

  private wake(queue: string): void {
    const worker = this.workers.get(queue);
    if (!worker || this.closed) return;
    clearTimeout(worker.timer);
    worker.timer = setTimeout(() => void this.poll(worker), 0);
  }

  private poll(worker: Worker): Promise<void> {
    if (this.closed || worker.polling) return Promise.resolve();
    // Cleared in a callback, which always runs after this assignment, even when pollOnce finishes without awaiting.
    const pass = this.pollOnce(worker).finally(() => (worker.polling = undefined));
    worker.polling = pass;
    return pass;
  }

  private async pollOnce(worker: Worker): Promise<void> {
    try {
      const free = worker.concurrency - worker.inFlight.size;
      if (free > 0) {
        for (const claimed of await this.claim(worker.queue, free)) {
          const run = this.run(worker, claimed).finally(() => {
            worker.inFlight.delete(run);
            this.wake(worker.queue);
          });
          worker.inFlight.add(run);
        }
      }
    } catch (error) {
      this.logger.error({ err: error, queue: worker.queue }, "job queue poll failed; retrying at the next poll");
    } finally {
      if (!this.closed) {
        clearTimeout(worker.timer);
        worker.timer = setTimeout(() => void this.poll(worker), this.pollMs);
      }
    }
  }

  /** Takes due jobs, and jobs whose worker died (claim expired), skipping rows another worker is claiming. */
  private claim(queue: string, limit: number) {
    return this.claimDue.execute({ queue, limit });
  }

  private async run(worker: Worker, row: typeof jobs.$inferSelect): Promise<void> {
    const job = {
      id: row.id,
      queue: row.queue,
      name: row.name,
      data: row.data,
      attempt: row.attemptsMade,
      maxAttempts: row.maxAttempts,
    };
    // A job whose worker died during its last attempt has no attempt left to run. Its count goes back to the
    // attempts that did start, for the dead-letter list.
    if (row.attemptsMade > row.maxAttempts) {
      const lastError = describeError(new HopelessJobError("attempts used up (a worker stopped during the last one)"));
      this.logger.warn(
        { queue: row.queue, jobId: row.id, maxAttempts: row.maxAttempts },
        "job's worker died during its last attempt; kept as a dead letter",
      );
      await this.finish(row, { status: "failed", lastError, attemptsMade: row.maxAttempts }).catch((finishError) =>
        this.logger.error({ err: finishError, jobId: row.id }, "could not record job failure"),
      );
      return;
    }
    const heartbeat = setInterval(() => void this.renewClaim(row), this.lockMs / 3);
    try {
      await worker.handler(job);
      clearInterval(heartbeat);
      await this.finish(row, { status: "completed", lastError: null });
    } catch (error) {
      clearInterval(heartbeat);
      const hopeless = error instanceof HopelessJobError;
      const dead = hopeless || row.attemptsMade >= row.maxAttempts;
      const lastError = describeError(error);
      this.logger.warn(
        { err: error, queue: row.queue, jobId: row.id, attempt: row.attemptsMade, maxAttempts: row.maxAttempts },
        dead ? "job failed for good; kept as a dead letter" : "job failed; will retry",
      );
      await this.finish(
        row,
        dead
          ? { status: "failed", lastError }
          : { status: "waiting", lastError, retryInMs: retryDelayMs(row.attemptsMade, this.random) },
      ).catch((finishError) => this.logger.error({ err: finishError, jobId: row.id }, "could not record job failure"));
    }
  }

  private async renewClaim(row: typeof jobs.$inferSelect): Promise<void> {
    await this.db
      .update(jobs)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${this.lockMs / 1000})` })
      .where(
        and(
          eq(jobs.queue, row.queue),
          eq(jobs.id, row.id),
          eq(jobs.status, "active"),
          eq(jobs.attemptsMade, row.attemptsMade),
        ),
      )
      .catch((error) =>
        this.logger.warn({ err: error, jobId: row.id }, "could not renew job claim; it may be run again"),
      );
  }

  private async finish(
    row: typeof jobs.$inferSelect,
    outcome: {
      status: "completed" | "failed" | "waiting";
      lastError: string | null;
      retryInMs?: number;
      attemptsMade?: number;
    },
  ) {
    if (outcome.status === "completed" && outcome.attemptsMade === undefined) {
      await this.complete.execute({ queue: row.queue, id: row.id, attemptsMade: row.attemptsMade });
      return;
    }
    const retrying = outcome.status === "waiting";
    await this.db
      .update(jobs)
      .set({
        status: outcome.status,
        ...(outcome.attemptsMade === undefined ? {} : { attemptsMade: outcome.attemptsMade }),
        lastError: outcome.lastError,
        lockedUntil: null,
        updatedAt: sql`now()`,
        finishedAt: retrying ? null : sql`now()`,
        ...(retrying ? { runAt: sql`now() + make_interval(secs => ${(outcome.retryInMs ?? 0) / 1000})` } : {}),
      })
      // Only while the claim is still ours: a worker presumed dead must not overwrite its successor's attempt.
      .where(and(eq(jobs.queue, row.queue), eq(jobs.id, row.id), eq(jobs.attemptsMade, row.attemptsMade)));
  }
}

/** The claim: due jobs, and jobs whose worker died (claim expired), skipping rows another worker is claiming. */
function prepareClaim(db: Database, lockMs: number) {
  const queue = sql.placeholder("queue");
  const candidates = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.queue, queue),
        or(
          and(eq(jobs.status, "waiting"), lte(jobs.runAt, sql`now()`)),
          and(eq(jobs.status, "active"), lt(jobs.lockedUntil, sql`now()`)),
        ),
      ),
    )
    .orderBy(jobs.runAt)
    .limit(sql.placeholder("limit"))
    .for("update", { skipLocked: true });
  return db
    .update(jobs)
    .set({
      status: "active",
      attemptsMade: sql`${jobs.attemptsMade} + 1`,
      lockedUntil: sql`now() + make_interval(secs => ${lockMs / 1000})`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.queue, queue), inArray(jobs.id, candidates)))
    .returning()
    .prepare("jobs_claim");
}

/** A run that succeeded, only while the claim is still ours (see finish). */
function prepareComplete(db: Database) {
  return db
    .update(jobs)
    .set({ status: "completed", lastError: null, lockedUntil: null, updatedAt: sql`now()`, finishedAt: sql`now()` })
    .where(
      and(
        eq(jobs.queue, sql.placeholder("queue")),
        eq(jobs.id, sql.placeholder("id")),
        eq(jobs.attemptsMade, sql.placeholder("attemptsMade")),
      ),
    )
    .prepare("jobs_complete");
}
