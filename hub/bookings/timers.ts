// The hold timer: a delayed job per held booking, at its hold_expires_at, through whichever job driver runs; and the
// handler of every booking timer (this one, completion.ts's, reminder-timer.ts's).
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { bookings } from "../../db/schema";
import type { Subscriber } from "../core/events/bus";
import { HopelessJobError, type JobDriver, type JobHandler } from "../core/jobs/driver";
import { BOOKINGS_QUEUE } from "../core/jobs/queues";
import { defineTimer } from "../core/jobs/timer";
import { COMPLETION_JOB, completionTimerHandler } from "./completion";
import { expireHold, type DecisionDeps } from "./decisions";
import { REMINDER_JOB, reminderTimerHandler } from "./reminder-timer";
import type { ReminderSettings } from "./send-reminder";

export const HOLD_EXPIRY_JOB = "booking.hold_expiry";
export const holdTimer = defineTimer({
  queue: BOOKINGS_QUEUE,
  job: HOLD_EXPIRY_JOB,
  idPrefix: "booking-hold",
  keyField: "booking_id",
});
export const holdJobId = holdTimer.jobId;

export function armHoldTimer(db: Database, jobs: JobDriver, now: () => Date): Subscriber<"booking.held"> {
  return {
    name: "bookings.arm_hold",
    type: "booking.held",
    repeatable: true,
    async perform(event) {
      const [row] = await db
        .select({ until: bookings.holdExpiresAt })
        .from(bookings)
        .where(eq(bookings.id, event.payload.booking_id));
      if (!row?.until) return;
      await holdTimer.arm(jobs, event.payload.booking_id, row.until, now());
    },
  };
}

/** An accepted or cancelled booking needs its hold timer no more; one that still fires finds it not held. */
export function disarmHoldTimer(
  jobs: JobDriver,
  type: "booking.awaiting_deposit" | "booking.confirmed" | "booking.cancelled",
): Subscriber<typeof type> {
  return {
    name: `bookings.disarm_hold.${type.slice("booking.".length)}`,
    type,
    wants: (event) => event.payload.from === "held",
    repeatable: true,
    async perform(event) {
      await holdTimer.disarm(jobs, event.payload.booking_id);
    },
  };
}

export const holdTimerHandler =
  (deps: DecisionDeps): JobHandler =>
  async (job) => {
    await expireHold(deps, holdTimer.keyOf(job));
  };

/** The `bookings` queue's one handler: each booking timer, told apart by its job's name. */
export function bookingTimersHandler(deps: DecisionDeps & { reminders: ReminderSettings }): JobHandler {
  const handlers: Record<string, JobHandler> = {
    [HOLD_EXPIRY_JOB]: holdTimerHandler(deps),
    [COMPLETION_JOB]: completionTimerHandler(deps),
    [REMINDER_JOB]: reminderTimerHandler(deps),
  };
  return async (job) => {
    const handle = handlers[job.name];
    if (!handle) throw new HopelessJobError(`no booking timer is named "${job.name}"`);
    await handle(job);
  };
}

/**
 * The hold timer of every booking still held, at its hold_expires_at (hub/core/jobs/timer-keeper.ts runs it): none is lost.
 */
export async function rearmHoldTimers(db: Database, jobs: JobDriver, now: () => Date): Promise<number> {
  const held = await db
    .select({ key: bookings.id, dueAt: bookings.holdExpiresAt })
    .from(bookings)
    .where(eq(bookings.status, "held"));
  return holdTimer.rearm(
    jobs,
    held.flatMap(({ key, dueAt }) => (dueAt ? [{ key, dueAt }] : [])),
    now(),
  );
}
