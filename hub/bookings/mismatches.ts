// Availability mismatches: active bookings their resource can no longer take, because something changed after
// they were made (a block added, opening hours changed, the resource made inactive, its capacity lowered).
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { ACTIVE_BOOKING_STATUSES, bookings, resourceBlocks, resources } from "../../db/schema";
import { dayOf } from "./calendar";
import { isOpenThroughout } from "./opening-hours";
import { overlaps } from "./occupancy";

export const MISMATCH_KINDS = ["blocked", "closed", "inactive", "over_capacity"] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export interface Mismatch {
  bookingId: string;
  bookingNumber: number;
  resourceId: string;
  kind: MismatchKind;
  /** When the conflict arose: the block's creation, or the resource's last change. */
  since: Date;
  detail: string;
}

/** Every mismatch of the active bookings not yet over, soonest booking first. */
export async function availabilityMismatches(db: Executor, now: Date): Promise<Mismatch[]> {
  const rows = await db
    .select({ booking: bookings, resource: resources })
    .from(bookings)
    .innerJoin(resources, eq(resources.id, bookings.resourceId))
    .where(and(inArray(bookings.status, ACTIVE_BOOKING_STATUSES), gt(bookings.endsAt, now)))
    .orderBy(asc(bookings.startsAt), asc(bookings.id));
  if (rows.length === 0) return [];
  const blocks = await db
    .select()
    .from(resourceBlocks)
    .where(inArray(resourceBlocks.resourceId, [...new Set(rows.map((r) => r.resource.id))]));

  const found: Mismatch[] = [];
  for (const { booking, resource } of rows) {
    const at = (kind: MismatchKind, since: Date, detail: string) =>
      found.push({
        bookingId: booking.id,
        bookingNumber: booking.number,
        resourceId: resource.id,
        kind,
        since,
        detail,
      });
    const window = { start: booking.startsAt, end: booking.endsAt };
    // The hold checked every rule, so a rule broken now was broken by a later change of the resource.
    if (resource.status !== "active") at("inactive", resource.updatedAt, `${resource.name} is inactive`);
    if (booking.partySize !== null && booking.partySize > resource.capacity) {
      at(
        "over_capacity",
        resource.updatedAt,
        `${resource.name} now holds ${resource.capacity}; the party is ${booking.partySize}`,
      );
    }
    if (!isOpenThroughout(resource.openingHours, window, dayOf(window.start)))
      at("closed", resource.updatedAt, `${resource.name}'s opening hours no longer cover it`);
    for (const block of blocks) {
      if (block.resourceId !== resource.id || !overlaps({ start: block.startsAt, end: block.endsAt }, window)) continue;
      at("blocked", block.createdAt, `${resource.name} is blocked: ${block.reason}`);
    }
  }
  return found;
}
