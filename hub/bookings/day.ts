// One London day of every resource, as the console's day view shows it: the bookings that hold time (held, awaiting a
// deposit, confirmed) and those that took place or were missed (completed, no-show), the blocks, and which of the
// bookings the resource can no longer take.
import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ACTIVE_BOOKING_STATUSES, bookings, clients, resourceBlocks } from "../../db/schema";
import { dayBounds } from "./calendar";
import type { BookingRow } from "./lifecycle";
import { availabilityMismatches, type Mismatch } from "./mismatches";
import { listResources, type Resource } from "./resources";
import type { ResourceBlock } from "./resource-blocks";

/** What a day shows: the bookings that hold time, and those whose time came (a no-show is marked from the day). */
const SHOWN_STATUSES = [...ACTIVE_BOOKING_STATUSES, "completed", "no_show"] as const;

export interface DayBooking {
  booking: BookingRow;
  clientName: string | null;
  /** Why the resource can no longer take it; empty when it can. */
  mismatches: Mismatch[];
}

export interface ResourceDay {
  resource: Resource;
  bookings: DayBooking[];
  blocks: ResourceBlock[];
}

export interface BookingDay {
  /** The London date, `YYYY-MM-DD`. */
  date: string;
  /** Where the day begins and ends: 23 hours in spring, 25 in autumn. */
  start: Date;
  end: Date;
  resources: ResourceDay[];
}

/**
 * Every active resource, and any other one with something on that day, by name; each with the shown bookings and
 * blocks that overlap the London day (one past midnight included), earliest first.
 */
export async function bookingDay(db: Executor, date: string, now: Date): Promise<BookingDay> {
  const { start, end } = dayBounds(date);
  const [all, booked, blocks, mismatches] = await Promise.all([
    listResources(db),
    db
      .select({ booking: bookings, clientName: clients.name })
      .from(bookings)
      .innerJoin(clients, eq(clients.id, bookings.clientId))
      .where(and(inArray(bookings.status, SHOWN_STATUSES), lt(bookings.startsAt, end), gt(bookings.endsAt, start)))
      .orderBy(asc(bookings.startsAt), asc(bookings.id)),
    db
      .select()
      .from(resourceBlocks)
      .where(and(lt(resourceBlocks.startsAt, end), gt(resourceBlocks.endsAt, start)))
      .orderBy(asc(resourceBlocks.startsAt), asc(resourceBlocks.id)),
    availabilityMismatches(db, now),
  ]);
  const resources = all
    .filter(
      (r) =>
        r.status === "active" ||
        booked.some((b) => b.booking.resourceId === r.id) ||
        blocks.some((b) => b.resourceId === r.id),
    )
    .map((resource) => ({
      resource,
      bookings: booked
        .filter((b) => b.booking.resourceId === resource.id)
        .map((b) => ({ ...b, mismatches: mismatches.filter((m) => m.bookingId === b.booking.id) })),
      blocks: blocks.filter((b) => b.resourceId === resource.id),
    }));
  return { date, start, end, resources };
}
