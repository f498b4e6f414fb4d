// A booking's status changes: allowed moves only, each audited with a `booking.<status>` event, the inquiry following.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, inquiries, type BookingStatus } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";
import { appendEvent } from "../core/events/outbox";
import type { BookingEventPayload } from "../core/events/types";
import { setInquiryStatus } from "../inquiries";
import { bookingReference } from "../core/references";

export type BookingRow = typeof bookings.$inferSelect;

export { bookingReference };

/**
 * Where each status may go. `held` → `confirmed` directly when no deposit is due. A `completed` booking may still be
 * marked `no_show`: the completion timer runs at the booking's end, and staff often record a no-show after it.
 */
const MOVES: Record<BookingStatus, readonly BookingStatus[]> = {
  held: ["awaiting_deposit", "confirmed", "cancelled", "expired"],
  awaiting_deposit: ["confirmed", "cancelled", "expired"],
  confirmed: ["completed", "no_show", "cancelled", "expired"],
  completed: ["no_show"],
  no_show: [],
  cancelled: [],
  expired: [],
};

export const canMove = (from: BookingStatus, to: BookingStatus) => MOVES[from].includes(to);

/** The booking, locked for the rest of the caller's transaction. */
export async function lockBooking(tx: Executor, id: string): Promise<BookingRow> {
  const [row] = await tx.select().from(bookings).where(eq(bookings.id, id)).for("update");
  if (!row) throw new HubError("not_found", `No booking has id "${id}".`);
  return row;
}

export interface Move {
  to: BookingStatus;
  actorId: string | null;
  now: Date;
  reason?: string;
  /** A cancellation the customer made (chat or booking page): staff are told of it. */
  byCustomer?: boolean;
  /** A cancellation's decision on a paid deposit (hub/bookings/cancellation.ts); payments/ refunds a `full` one. */
  cancelRefund?: "full" | "none" | null;
}

export async function moveBooking(tx: Executor, booking: BookingRow, move: Move): Promise<BookingRow> {
  const reference = bookingReference(booking.number);
  if (!canMove(booking.status, move.to)) {
    throw new HubError("conflict", `${reference} is ${booking.status}; it cannot become ${move.to}.`);
  }
  const stamps: Partial<BookingRow> = {
    awaiting_deposit: { acceptedAt: move.now },
    confirmed: { confirmedAt: move.now, ...(booking.acceptedAt ? {} : { acceptedAt: move.now }) },
    cancelled: {
      cancelledAt: move.now,
      cancelReason: move.reason ?? null,
      cancelRefund: move.cancelRefund ?? null,
      cancelAskedAt: null,
    },
    expired: { cancelledAt: move.now, cancelReason: move.reason ?? "the hold ran out" },
    held: {},
    completed: {},
    no_show: {},
  }[move.to];
  const [moved] = await tx
    .update(bookings)
    .set({ status: move.to, ...stamps, updatedAt: sql`now()` })
    .where(eq(bookings.id, booking.id))
    .returning();
  await recordAudit(tx, {
    actorId: move.actorId,
    action: `booking.${move.to}`,
    entityType: "booking",
    entityId: booking.id,
    before: { status: booking.status },
    after: { status: move.to, ...(move.reason ? { reason: move.reason } : {}) },
  });
  await appendBookingEvent(tx, moved!, booking.status, move.byCustomer ? { by_customer: true } : {});
  await followInquiry(tx, moved!, move.actorId);
  return moved!;
}

/** Writes `booking.<status>` for the booking as it now is. */
export async function appendBookingEvent(
  tx: Executor,
  booking: BookingRow,
  from: BookingStatus | null,
  extra: Pick<BookingEventPayload, "by_customer"> = {},
): Promise<void> {
  await appendEvent(tx, {
    type: `booking.${booking.status}`,
    aggregateType: "booking",
    aggregateId: booking.id,
    payload: { ...(await payloadOf(tx, booking, from)), ...extra },
  });
}

export async function payloadOf(
  tx: Executor,
  booking: BookingRow,
  from: BookingStatus | null,
): Promise<BookingEventPayload> {
  const [inquiry] = await tx
    .select({ source: inquiries.source, partnerCode: inquiries.partnerCode })
    .from(inquiries)
    .where(eq(inquiries.id, booking.inquiryId));
  return {
    booking_id: booking.id,
    reference: bookingReference(booking.number),
    inquiry_id: booking.inquiryId,
    resource_id: booking.resourceId,
    source: inquiry!.source,
    partner_code: inquiry!.partnerCode,
    from,
    to: booking.status,
    starts_at: booking.startsAt.toISOString(),
    ends_at: booking.endsAt.toISOString(),
    ...(booking.status === "cancelled" ? { cancel_refund: booking.cancelRefund } : {}),
  };
}

/** A confirmed booking books its inquiry; a booked inquiry whose booking fell through is worked on again. */
async function followInquiry(tx: Executor, booking: BookingRow, actorId: string | null): Promise<void> {
  if (booking.status === "confirmed") {
    await setInquiryStatus(tx, { inquiryId: booking.inquiryId, status: "booked", actorId });
    return;
  }
  if (booking.status !== "cancelled" && booking.status !== "expired") return;
  const [inquiry] = await tx
    .select({ status: inquiries.status })
    .from(inquiries)
    .where(eq(inquiries.id, booking.inquiryId));
  if (inquiry?.status !== "booked") return;
  const [other] = await tx
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.inquiryId, booking.inquiryId),
        ne(bookings.id, booking.id),
        inArray(bookings.status, ["confirmed", "completed"]),
      ),
    );
  if (!other) await setInquiryStatus(tx, { inquiryId: booking.inquiryId, status: "in_progress", actorId });
}
