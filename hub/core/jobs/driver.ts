// The job interface every driver implements: the in-process one (a PostgreSQL table) and BullMQ on Redis.
import type { Executor } from "../../../db/client";
import { safeMessage } from "../logger";

export interface JobOptions {
  /** Deduplicates: a second enqueue with the same id in the same queue is a no-op. Letters, digits, `_ - .` only. */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Attempts in all, the first included. */
  attempts?: number;
}

/** One of the jobs `enqueueMany` adds. */
export interface NewJob {
  name: string;
  data: unknown;
  jobId: string;
}

export interface EnqueueResult {
  id: string;
  /** False when a job with this id already existed and nothing new was queued. */
  created: boolean;
}

export interface Job<T = unknown> {
  id: string;
  queue: string;
  name: string;
  data: T;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface QueueStats {
  waiting: number;
  delayed: number;
  active: number;
  completed: number;
  /** Dead letters: jobs that used every attempt or were hopeless. */
  failed: number;
  /** Age of the oldest job that is due and not yet taken: the queue's lag. */
  oldestWaitingMs: number | null;
}

/** A dead letter: a job that used every attempt, or was hopeless. */
export interface FailedJob {
  id: string;
  queue: string;
  name: string;
  data: unknown;
  attemptsMade: number;
  lastError: string | null;
  failedAt: Date | null;
}

export type JobState = "waiting" | "delayed" | "active" | "completed" | "failed";

export interface JobDriver {
  readonly kind: "in-process" | "bullmq";
  enqueue(queue: string, name: string, data: unknown, options?: JobOptions): Promise<EnqueueResult>;
  /**
   * Several jobs due now, in one round trip (the outbox relay's batch); each is deduplicated by its id as `enqueue`
   * does. All or none: on failure the caller may try them one by one.
   */
  enqueueMany(queue: string, jobs: readonly NewJob[]): Promise<void>;
  /** Removes a job that has not started yet (a disarmed timer). True when something was removed. */
  cancel(queue: string, jobId: string): Promise<boolean>;
  /** Starts taking jobs from a queue. A handler that throws is retried; HopelessJobError is not. */
  process(queue: string, handler: JobHandler, options?: { concurrency?: number }): void;
  stats(queue: string): Promise<QueueStats>;
  /** Where a job is now; undefined when the queue has no such job (never added, cancelled, cleaned up, or lost). */
  state(queue: string, jobId: string): Promise<JobState | undefined>;
  /** Dead letters, the most recent first. */
  listFailed(queue: string, limit: number): Promise<FailedJob[]>;
  /**
   * Puts a dead letter back in the queue with a fresh set of attempts; returns it as it was (for the audit log),
   * or undefined when no failed job has that id. `within`: the caller's transaction, so that the audit entry and the
   * requeue commit together where the jobs live in the database (the in-process driver); BullMQ requeues in Redis
   * at once, whatever the caller's transaction does next.
   */
  retryFailed(queue: string, jobId: string, within?: Executor): Promise<FailedJob | undefined>;
  /**
   * What an operator should know about the queue's own service, in plain sentences (empty when all is well):
   * logged at start and shown on the health view.
   */
  warnings(): Promise<string[]>;
  /** Deletes finished jobs older than `olderThanMs`, dead letters excepted; returns how many went. */
  pruneCompleted(olderThanMs: number): Promise<number>;
  /**
   * Calls `listener` whenever the store may have lost jobs it held, so that the hub arms its timers again from the
   * database. BullMQ: Redis answers again without the marker key this process wrote into it (a restart without
   * persistence, a flush, eviction). The in-process driver's jobs are rows of the hub's own database, lost only with
   * it: it never calls.
   */
  onJobsLost(listener: (reason: string) => void): void;
  /** Stops taking new jobs and waits for the ones in flight. */
  close(): Promise<void>;
}

/** Completed jobs are kept this long, on both drivers: long enough for the health view and for a late duplicate. */
export const KEEP_COMPLETED_MS = 24 * 3600_000;

/**
 * Thrown by a handler when retrying cannot help (bad data, a thing that no longer exists): straight to dead letters.
 */
export class HopelessJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HopelessJobError";
  }
}

/** An error as one line for a dead letter, with its causes: drizzle hides the database's reason in `cause`. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    // Kept in the jobs table and in Redis, and shown to staff: no statement's values (hub/core/logger.ts).
    parts.push(e instanceof Error ? `${e.name}: ${safeMessage(e)}` : String(e));
    if (e instanceof AggregateError) parts.push(...e.errors.map((inner) => `[${describeError(inner)}]`));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(" ← caused by ");
}

const JOB_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/** BullMQ reserves `:` in ids; every driver keeps to the narrower alphabet so ids move between drivers unchanged. */
export function assertJobId(jobId: string): void {
  if (!JOB_ID.test(jobId)) {
    throw new TypeError(`job id ${JSON.stringify(jobId)} must be 1-128 letters, digits, "_", "-" or "."`);
  }
}

export const DEFAULT_ATTEMPTS = 5;

/**
 * Delay before attempt `attempt + 1`: exponential from 1 s, capped at 5 min, with "equal jitter" (half fixed,
 * half random) so that a burst of failures does not retry in lockstep.
 */
export function retryDelayMs(attemptsMade: number, random: () => number = Math.random): number {
  const exponential = Math.min(1000 * 2 ** (attemptsMade - 1), 300_000);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
