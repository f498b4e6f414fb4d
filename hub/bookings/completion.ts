// The completion timer: a confirmed booking becomes `completed` at its ends_at, by a delayed job through whichever job
// driver runs. Armed on `booking.confirmed`, disarmed when the booking moves on, armed again from the database.
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { bookings } from "../../db/schema";
import { inTransaction } from "../core/context";
import type { Subscriber } from "../core/events/bus";
import type { JobDriver, JobHandler } from "../core/jobs/driver";
import { BOOKINGS_QUEUE } from "../core/jobs/queues";
import { defineTimer } from "../core/jobs/timer";
import type { DecisionDeps } from "./decisions";
import { bookingReference, moveBooking } from "./lifecycle";

export const COMPLETION_JOB = "booking.completion";
export const completionTimer = defineTimer({
  queue: BOOKINGS_QUEUE,
  job: COMPLETION_JOB,
  idPrefix: "booking-completion",
  keyField: "booking_id",
});

/** A timer may fire this much before the end (another host's clock); earlier than that, it is tried again. */
const EARLY_TOLERANCE_MS = 1000;

export function armCompletionTimer(db: Database, jobs: JobDriver, now: () => Date): Subscriber<"booking.confirmed"> {
  return {
    name: "bookings.arm_completion",
    type: "booking.confirmed",
    repeatable: true,
    async perform(event) {
      // Read again: an event handled late may find the booking cancelled or a no-show already, with nothing to arm.
      const [row] = await db
        .select({ status: bookings.status, endsAt: bookings.endsAt })
        .from(bookings)
        .where(eq(bookings.id, event.payload.booking_id));
      if (row?.status !== "confirmed") return;
      await completionTimer.arm(jobs, event.payload.booking_id, row.endsAt, now());
    },
  };
}

/** A confirmed booking that moved on needs its completion timer no more; one that still fires finds it not confirmed. */
export function disarmCompletionTimer(
  jobs: JobDriver,
  type: "booking.no_show" | "booking.cancelled" | "booking.expired",
): Subscriber<typeof type> {
  return {
    name: `bookings.disarm_completion.${type.slice("booking.".length)}`,
    type,
    wants: (event) => event.payload.from === "confirmed",
    repeatable: true,
    async perform(event) {
      await completionTimer.disarm(jobs, event.payload.booking_id);
    },
  };
}

/** A booking still `confirmed` at its ends_at is `completed`; any other is left as it is, so none completes twice. */
export async function completeBooking(deps: DecisionDeps, bookingId: string): Promise<boolean> {
  return inTransaction(deps, async (tx) => {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (row?.status !== "confirmed") return false;
    if (row.endsAt.getTime() > deps.now().getTime() + EARLY_TOLERANCE_MS)
      throw new Error(`the completion timer of ${bookingReference(row.number)} fired before its end`);
    await moveBooking(tx, row, { to: "completed", actorId: null, now: deps.now() });
    return true;
  });
}

export const completionTimerHandler =
  (deps: DecisionDeps): JobHandler =>
  async (job) => {
    await completeBooking(deps, completionTimer.keyOf(job));
  };

/** The completion timer of every confirmed booking, at its ends_at (hub/core/jobs/timer-keeper.ts runs it). */
export async function rearmCompletionTimers(db: Database, jobs: JobDriver, now: () => Date): Promise<number> {
  const confirmed = await db
    .select({ key: bookings.id, dueAt: bookings.endsAt })
    .from(bookings)
    .where(eq(bookings.status, "confirmed"));
  return completionTimer.rearm(jobs, confirmed, now());
}
