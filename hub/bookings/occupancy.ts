// What already takes a resource's time: its blocks and its active bookings, for a range of instants.
import { and, eq, gt, inArray, lt, ne } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ACTIVE_BOOKING_STATUSES, bookings, resourceBlocks } from "../../db/schema";
import type { Interval } from "./opening-hours";

export interface Taken extends Interval {
  kind: "block" | "booking";
  /** The block's reason, or the booking's reference. */
  label: string;
}

export async function takenBetween(
  db: Executor,
  resourceId: string,
  range: Interval,
  options: { exceptBookingId?: string } = {},
): Promise<Taken[]> {
  const [blocks, booked] = await Promise.all([
    db
      .select({ start: resourceBlocks.startsAt, end: resourceBlocks.endsAt, reason: resourceBlocks.reason })
      .from(resourceBlocks)
      .where(
        and(
          eq(resourceBlocks.resourceId, resourceId),
          lt(resourceBlocks.startsAt, range.end),
          gt(resourceBlocks.endsAt, range.start),
        ),
      ),
    db
      .select({ start: bookings.startsAt, end: bookings.endsAt, number: bookings.number })
      .from(bookings)
      .where(
        and(
          eq(bookings.resourceId, resourceId),
          inArray(bookings.status, ACTIVE_BOOKING_STATUSES),
          lt(bookings.startsAt, range.end),
          gt(bookings.endsAt, range.start),
          options.exceptBookingId ? ne(bookings.id, options.exceptBookingId) : undefined,
        ),
      ),
  ]);
  return [
    ...blocks.map((b) => ({ kind: "block" as const, start: b.start, end: b.end, label: b.reason })),
    ...booked.map((b) => ({ kind: "booking" as const, start: b.start, end: b.end, label: `BKG-${b.number}` })),
  ];
}

export const overlaps = (a: Interval, b: Interval) =>
  a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
