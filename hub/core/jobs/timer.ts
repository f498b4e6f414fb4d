// A timer: one delayed job per thing (a hold, an inquiry's deadline or escalation, a payment attempt), due at a time
// that lives in the database. The job id comes from the thing's id, so arming twice is one job and disarming needs no
// lookup; hub/core/jobs/timer-keeper.ts arms again from the database whatever the queue lost.
import { assertJobId, type EnqueueResult, type Job, type JobDriver } from "./driver";

interface TimerBase<F extends string> {
  queue: string;
  /** The job's name, which its queue's handler tells timers apart by. */
  job: string;
  /** The field of the job's data that holds the key: the handler reads the thing's id from there. */
  keyField: F;
}

/**
 * Either `idPrefix` (the job id is `<idPrefix>-<key>`) or a `jobId` of one's own. Ids already queued in a running
 * system must never change: a timer whose id changed is orphaned, armed a second time, and never disarmed.
 */
export type TimerSpec<F extends string> = TimerBase<F> & ({ idPrefix: string } | { jobId: (key: string) => string });

/** Where one timer is due: the thing's id and its due time, read from the database. */
export interface Due {
  key: string;
  dueAt: Date;
}

export interface Timer<F extends string> {
  readonly queue: string;
  readonly job: string;
  jobId(key: string): string;
  /** The data the job carries: the key, in `keyField`. */
  data(key: string): Record<F, string>;
  /** The key a fired job is for. */
  keyOf(job: Job): string;
  /** Queues the timer at `dueAt` (at once when that is past); a timer already there stays as it is. */
  arm(jobs: JobDriver, key: string, dueAt: Date, now: Date): Promise<EnqueueResult>;
  /** Removes the timer if it has not started; one that has finds its thing moved on and does nothing. */
  disarm(jobs: JobDriver, key: string): Promise<boolean>;
  /** Arms every timer that should exist; says how many were missing from the queue and had to be created. */
  rearm(jobs: JobDriver, due: Iterable<Due>, now: Date): Promise<number>;
}

/** How long until `dueAt`: never negative, so a timer due in the past runs at once. */
export const delayUntil = (dueAt: Date, now: Date) => Math.max(0, dueAt.getTime() - now.getTime());

export function defineTimer<F extends string>(spec: TimerSpec<F>): Timer<F> {
  if ("idPrefix" in spec) assertJobId(`${spec.idPrefix}-`);
  const jobId = "idPrefix" in spec ? (key: string) => `${spec.idPrefix}-${key}` : spec.jobId;
  const data = (key: string) => ({ [spec.keyField]: key }) as Record<F, string>;
  const arm = (jobs: JobDriver, key: string, dueAt: Date, now: Date) =>
    jobs.enqueue(spec.queue, spec.job, data(key), { jobId: jobId(key), delayMs: delayUntil(dueAt, now) });
  return {
    queue: spec.queue,
    job: spec.job,
    jobId,
    data,
    keyOf: (job) => (job.data as Record<F, string>)[spec.keyField],
    arm,
    disarm: (jobs, key) => jobs.cancel(spec.queue, jobId(key)),
    async rearm(jobs, due, now) {
      let created = 0;
      for (const { key, dueAt } of due) if ((await arm(jobs, key, dueAt, now)).created) created++;
      return created;
    },
  };
}
