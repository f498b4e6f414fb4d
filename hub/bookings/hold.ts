// Holding a resource's time for an inquiry: the rules first (422 says which), then the database's exclusion
// constraint, which lets exactly one of any number of concurrent holds of the same time win (409 for the rest).
import { randomUUID } from "node:crypto";
import { and, eq, gt, inArray, lt } from "drizzle-orm";
import type { Database } from "../../db/client";
import { isTransactionConflict, PG, pgErrorCode } from "../../db/errors";
import { ACTIVE_BOOKING_STATUSES, bookings, inquiries, resources } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { inTransaction, type HubContext } from "../core/context";
import { HubError, invalid } from "../core/errors";
import { setInquiryStatus, getInquiry } from "../inquiries";
import { inquiryReference } from "../pipeline";
import { formatLondon, formatLondonForPeople } from "../core/time";
import { appendBookingEvent, bookingReference, type BookingRow } from "./lifecycle";
import { takenBetween } from "./occupancy";
import type { Interval } from "./opening-hours";
import { bookingProblems } from "./rules";

export interface HoldRequest {
  /** The inquiry's id or reference (INQ-42), as the request names it. */
  inquiry: string;
  resourceId: string;
  startsAt: Date;
  /** Exactly one of the two: the end, or the elapsed minutes from the start. */
  endsAt?: Date | undefined;
  durationMinutes?: number | undefined;
  partySize?: number | undefined;
  depositAmount: number;
  totalAmount?: number | undefined;
  /** GBP when not given. */
  currency?: string | undefined;
  actorId: string;
}

/** A hold PostgreSQL aborted to break a deadlock or a serialization conflict runs again, this many times in all. */
const HOLD_ATTEMPTS = 3;

export type HoldDeps = Pick<HubContext, "db" | "now" | "wake"> & { holdMs: number };

export async function holdBooking(deps: HoldDeps, request: HoldRequest): Promise<BookingRow> {
  const window = { start: request.startsAt, end: endOf(request) };
  if (request.totalAmount !== undefined && request.totalAmount < request.depositAmount)
    throw invalid("total_amount", "must not be less than deposit_amount");
  const { id: inquiryId } = await getInquiry(deps.db, request.inquiry);
  // A time already begun cannot be offered to anyone: a typo in the year, or a form left open overnight.
  if (request.startsAt.getTime() <= deps.now().getTime()) {
    throw new HubError(
      "unprocessable",
      `start_at: ${formatLondon(request.startsAt)} has begun already; a booking starts in the future.`,
      [{ field: "start_at", message: "must be in the future" }],
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(deps, async (tx) => {
        const [[inquiry], [resource]] = await Promise.all([
          tx.select().from(inquiries).where(eq(inquiries.id, inquiryId)),
          // Holds of one resource take turns on its row: at once, they would all wait on each other in the
          // exclusion check, which PostgreSQL breaks as deadlocks (19 of 20 concurrent holds got 500 that way).
          tx.select().from(resources).where(eq(resources.id, request.resourceId)).for("no key update"),
        ]);
        if (!inquiry)
          throw new HubError("not_found", `No inquiry has id "${inquiryId}".`, [
            { field: "inquiry_id", message: "is not an inquiry" },
          ]);
        if (!resource)
          throw new HubError("not_found", `No resource has id "${request.resourceId}".`, [
            { field: "resource_id", message: "is not a resource" },
          ]);
        if (inquiry.status === "lost" || inquiry.status === "closed") {
          throw new HubError(
            "conflict",
            `${inquiryReference(inquiry.number)} is ${inquiry.status}; reopen it before booking for it.`,
          );
        }
        const partySize = request.partySize ?? inquiry.partySize;
        const problems = bookingProblems(resource, window, partySize, await takenBetween(tx, resource.id, window));
        if (problems.length > 0) throw new HubError("unprocessable", problems.join(" "));
        const now = deps.now();
        const [row] = await tx
          .insert(bookings)
          .values({
            id: randomUUID(),
            inquiryId: inquiry.id,
            clientId: inquiry.clientId,
            resourceId: resource.id,
            startsAt: window.start,
            endsAt: window.end,
            partySize,
            status: "held",
            holdExpiresAt: new Date(now.getTime() + deps.holdMs),
            depositAmount: request.depositAmount,
            totalAmount: request.totalAmount,
            currency: request.currency ?? "GBP",
            createdBy: request.actorId,
          })
          .returning();
        await recordAudit(tx, {
          actorId: request.actorId,
          action: "booking.held",
          entityType: "booking",
          entityId: row!.id,
          after: {
            status: "held",
            resource_id: resource.id,
            starts_at: window.start.toISOString(),
            ends_at: window.end.toISOString(),
          },
        });
        await appendBookingEvent(tx, row!, null);
        // Somebody is working on it now.
        if (inquiry.status === "new")
          await setInquiryStatus(tx, { inquiryId: inquiry.id, status: "in_progress", actorId: request.actorId });
        return row!;
      });
    } catch (error) {
      // A deadlock with another change of the resource's bookings (a proposal moving one) aborts one side: it runs
      // again, and then meets the other's booking (409) or none.
      if (attempt < HOLD_ATTEMPTS && isTransactionConflict(error)) continue;
      if (pgErrorCode(error) !== PG.exclusionViolation) throw error;
      throw new HubError("conflict", await describeClash(deps.db, request.resourceId, window));
    }
  }
}

/** Which active booking holds the time: the constraint refused the insert, this says what it collided with. */
async function describeClash(db: Database, resourceId: string, window: Interval): Promise<string> {
  const [clash] = await db
    .select({ number: bookings.number, startsAt: bookings.startsAt, endsAt: bookings.endsAt, name: resources.name })
    .from(bookings)
    .innerJoin(resources, eq(resources.id, bookings.resourceId))
    .where(
      and(
        eq(bookings.resourceId, resourceId),
        inArray(bookings.status, ACTIVE_BOOKING_STATUSES),
        lt(bookings.startsAt, window.end),
        gt(bookings.endsAt, window.start),
      ),
    )
    .limit(1);
  if (!clash) return "That time was taken by another booking a moment ago; choose another time.";
  return `${clash.name} is already booked from ${formatLondonForPeople(clash.startsAt)} to ${formatLondonForPeople(clash.endsAt)} (${bookingReference(clash.number)}).`;
}

/** The end the request gives, or its start plus the minutes: elapsed time, so a night the clocks change is exact. */
function endOf(request: HoldRequest): Date {
  if ((request.endsAt === undefined) === (request.durationMinutes === undefined))
    throw invalid("end_at", "give either end_at or duration_minutes");
  const end = request.endsAt ?? new Date(request.startsAt.getTime() + request.durationMinutes! * 60_000);
  if (end.getTime() <= request.startsAt.getTime()) throw invalid("end_at", "must be after start_at");
  return end;
}
