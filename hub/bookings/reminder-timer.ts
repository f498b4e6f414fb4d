// The reminder timers: one delayed job per confirmed booking and BOOKING_REMINDER_HOURS offset, due that long before
// its start, through whichever job driver runs. Armed on `booking.confirmed`, disarmed when the booking ends, armed
// again from the database; the sending transaction's booking_reminders row makes sure none is sent twice.
import { and, eq, gt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { bookingReminders, bookings } from "../../db/schema";
import type { Subscriber } from "../core/events/bus";
import type { JobDriver, JobHandler } from "../core/jobs/driver";
import { BOOKINGS_QUEUE } from "../core/jobs/queues";
import { type Due, defineTimer } from "../core/jobs/timer";
import type { DecisionDeps } from "./decisions";
import { type ReminderSettings, sendReminder } from "./send-reminder";

export const REMINDER_JOB = "booking.reminder";

/**
 * The key is `<minutes before>-<booking id>`: one booking has a reminder per offset, and each needs a job id of its own
 * (`booking-reminder-1440-<booking id>`), since a job that ran keeps its id and cannot be armed again.
 */
export const reminderTimer = defineTimer({
  queue: BOOKINGS_QUEUE,
  job: REMINDER_JOB,
  idPrefix: "booking-reminder",
  keyField: "reminder",
});

export const reminderKey = (bookingId: string, minutesBefore: number) => `${minutesBefore}-${bookingId}`;

export function parseReminderKey(key: string): { bookingId: string; minutesBefore: number } {
  const match = /^(\d+)-(.+)$/.exec(key);
  if (!match) throw new Error(`"${key}" is no reminder key (<minutes before>-<booking id>)`);
  return { minutesBefore: Number(match[1]), bookingId: match[2]! };
}

/** BOOKING_REMINDER_HOURS as whole minutes before the start, each once, the earliest reminder first. */
export function reminderOffsets(hours: readonly number[]): number[] {
  return [...new Set(hours.map((h) => Math.round(h * 60)).filter((m) => m >= 1))].sort((a, b) => b - a);
}

export const reminderDueAt = (startsAt: Date, minutesBefore: number) =>
  new Date(startsAt.getTime() - minutesBefore * 60_000);

/**
 * Whether a booking confirmed at `confirmedAt` gets the reminder at all: its time must not have passed when the
 * booking was confirmed (a booking confirmed 3 h before its start has no 24 h reminder: the customer has just booked),
 * and the start must be ahead.
 */
export function wantsReminder(
  booking: { startsAt: Date; confirmedAt: Date | null },
  minutesBefore: number,
  now: Date,
): boolean {
  const due = reminderDueAt(booking.startsAt, minutesBefore);
  return (
    booking.confirmedAt !== null &&
    booking.confirmedAt.getTime() <= due.getTime() &&
    booking.startsAt.getTime() > now.getTime()
  );
}

export function armReminderTimers(
  db: Database,
  jobs: JobDriver,
  now: () => Date,
  settings: Pick<ReminderSettings, "minutesBefore">,
): Subscriber<"booking.confirmed"> {
  return {
    name: "bookings.arm_reminders",
    type: "booking.confirmed",
    repeatable: true,
    async perform(event) {
      // Read again: an event handled late may find the booking cancelled already, with nothing to arm.
      const [row] = await db
        .select({ status: bookings.status, startsAt: bookings.startsAt, confirmedAt: bookings.confirmedAt })
        .from(bookings)
        .where(eq(bookings.id, event.payload.booking_id));
      if (row?.status !== "confirmed") return;
      for (const minutes of settings.minutesBefore) {
        if (!wantsReminder(row, minutes, now())) continue;
        const key = reminderKey(event.payload.booking_id, minutes);
        await reminderTimer.arm(jobs, key, reminderDueAt(row.startsAt, minutes), now());
      }
    },
  };
}

/** A booking that ended (cancelled, a no-show, expired, completed) needs its reminders no more. */
export function disarmReminderTimers(
  jobs: JobDriver,
  settings: Pick<ReminderSettings, "minutesBefore">,
  type: "booking.cancelled" | "booking.no_show" | "booking.expired" | "booking.completed",
): Subscriber<typeof type> {
  return {
    name: `bookings.disarm_reminders.${type.slice("booking.".length)}`,
    type,
    wants: (event) => event.payload.from === "confirmed",
    repeatable: true,
    async perform(event) {
      // One already running finds the booking no longer confirmed and sends nothing.
      for (const minutes of settings.minutesBefore)
        await reminderTimer.disarm(jobs, reminderKey(event.payload.booking_id, minutes));
    },
  };
}

export const reminderTimerHandler =
  (deps: DecisionDeps & { reminders: ReminderSettings }): JobHandler =>
  async (job) => {
    const { bookingId, minutesBefore } = parseReminderKey(reminderTimer.keyOf(job));
    await sendReminder(deps, bookingId, minutesBefore, deps.reminders);
  };

/**
 * The reminders still to come of every confirmed booking that has not started (hub/core/jobs/timer-keeper.ts runs
 * it): not those sent or found to have no chat already, nor those whose time had passed at the confirmation.
 */
export async function rearmReminderTimers(
  db: Database,
  jobs: JobDriver,
  now: () => Date,
  settings: Pick<ReminderSettings, "minutesBefore">,
): Promise<number> {
  if (settings.minutesBefore.length === 0) return 0;
  const at = now();
  const ahead = and(eq(bookings.status, "confirmed"), gt(bookings.startsAt, at));
  const [confirmed, done] = await Promise.all([
    db
      .select({ id: bookings.id, startsAt: bookings.startsAt, confirmedAt: bookings.confirmedAt })
      .from(bookings)
      .where(ahead),
    db
      .select({ bookingId: bookingReminders.bookingId, minutesBefore: bookingReminders.minutesBefore })
      .from(bookingReminders)
      .innerJoin(bookings, eq(bookings.id, bookingReminders.bookingId))
      .where(ahead),
  ]);
  const recorded = new Set(done.map((r) => reminderKey(r.bookingId, r.minutesBefore)));
  const due: Due[] = [];
  for (const booking of confirmed) {
    for (const minutes of settings.minutesBefore) {
      const key = reminderKey(booking.id, minutes);
      if (recorded.has(key) || !wantsReminder(booking, minutes, at)) continue;
      due.push({ key, dueAt: reminderDueAt(booking.startsAt, minutes) });
    }
  }
  return reminderTimer.rearm(jobs, due, at);
}
