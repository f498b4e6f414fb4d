// The booking list of the API: the latest start first, filtered by status, resource and a starts_at window.
import { and, eq, gte, lt } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { BOOKING_STATUSES, bookings, type BookingStatus } from "../../db/schema";
import { type Page, type PageRequest, paginate } from "../core/pagination";
import type { BookingRow } from "./lifecycle";

/** The statuses a list can be filtered by: every one. */
export { BOOKING_STATUSES };

export interface BookingFilter {
  status?: BookingStatus | undefined;
  resourceId?: string | undefined;
  /** starts_at at or after `from`, and before `to`. */
  from?: Date | undefined;
  to?: Date | undefined;
}

export function listBookings(db: Executor, filter: BookingFilter, page: PageRequest): Promise<Page<BookingRow>> {
  return paginate(
    page,
    { at: bookings.startsAt, id: bookings.id, of: (booking) => ({ at: booking.startsAt, id: booking.id }) },
    ({ after, orderBy, limit }) =>
      db
        .select()
        .from(bookings)
        .where(
          and(
            filter.status ? eq(bookings.status, filter.status) : undefined,
            filter.resourceId ? eq(bookings.resourceId, filter.resourceId) : undefined,
            filter.from ? gte(bookings.startsAt, filter.from) : undefined,
            filter.to ? lt(bookings.startsAt, filter.to) : undefined,
            after,
          ),
        )
        .orderBy(...orderBy)
        .limit(limit),
  );
}
