// The retention run's timer: one job a day at 03:00 London time, through whichever job driver runs, its id made from
// the London date so that a day has one run however many processes arm it. Each run arms the next day's; the timer
// keeper arms the next one again from the clock at start, on a loss and on every sweep. A run missed while no worker
// ran is not made up: the next day's finds the same clients, a day older.
import type { Logger } from "pino";
import { HopelessJobError, type JobDriver, type JobHandler } from "../core/jobs/driver";
import { PRIVACY_QUEUE } from "../core/jobs/queues";
import { defineTimer } from "../core/jobs/timer";
import { addDays, atLondon, londonDate } from "../core/time";
import { type RetentionDeps, runRetention } from "./retention";

export const RETENTION_JOB = "clients.retention";
export const retentionTimer = defineTimer({
  queue: PRIVACY_QUEUE,
  job: RETENTION_JOB,
  idPrefix: "clients-retention",
  keyField: "date",
});

/** When the hub is quietest. */
const RUN_TIME = "03:00";

const runAt = (date: string) => atLondon(date, RUN_TIME);

/** The next run after `now`: today's at 03:00 London, or tomorrow's once that has passed. */
export function nextRetentionRun(now: Date): { date: string; at: Date } {
  const today = londonDate(now);
  if (runAt(today).getTime() > now.getTime()) return { date: today, at: runAt(today) };
  const tomorrow = addDays(today, 1);
  return { date: tomorrow, at: runAt(tomorrow) };
}

/** Arms the next run; says how many jobs it had to create (0 when it was there already). */
export async function rearmRetention(jobs: JobDriver, now: () => Date): Promise<number> {
  const next = nextRetentionRun(now());
  return (await retentionTimer.arm(jobs, next.date, next.at, now())).created ? 1 : 0;
}

/** The privacy queue's handler: runs the day's erasures, then arms the next day's run. */
export function retentionHandler(deps: RetentionDeps & { jobs: JobDriver; logger: Logger }): JobHandler {
  return async (job) => {
    if (job.name !== RETENTION_JOB) throw new HopelessJobError(`no privacy job is named "${job.name}"`);
    await runRetention(deps);
    await rearmRetention(deps.jobs, deps.now);
  };
}
