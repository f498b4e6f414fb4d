// The customer's answer to a proposal (accept, decline), and a hold running out. (Cancellation: cancellation.ts.)
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, resources } from "../../db/schema";
import { tellCustomer, type CustomerMessage } from "../conversations";
import { inTransaction, type HubContext } from "../core/context";
import { HubError } from "../core/errors";
import { formatLondonForPeople } from "../core/time";
import { bookingReference, lockBooking, moveBooking, type BookingRow } from "./lifecycle";

export type DecisionDeps = Pick<HubContext, "db" | "now" | "wake">;

/** Who answered: the customer (in their chat, or on the booking page), or a member of staff recording it. */
export type Answerer = { kind: "customer" } | { kind: "staff"; userId: string };

export interface Decision {
  booking: BookingRow;
  /** False when the same answer had been given already (a double tap): nothing changed. */
  changed: boolean;
}

const actorOf = (by: Answerer) => (by.kind === "staff" ? by.userId : null);

export async function acceptBooking(deps: DecisionDeps, bookingId: string, by: Answerer): Promise<Decision> {
  const decision = await inTransaction(deps, async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    const reference = bookingReference(booking.number);
    if (booking.status === "awaiting_deposit" || booking.status === "confirmed" || booking.status === "completed")
      return { booking, changed: false };
    if (booking.status !== "held")
      throw new HubError("conflict", `${reference} is ${booking.status}; it can no longer be accepted.`);
    const now = deps.now();
    if (booking.holdExpiresAt && booking.holdExpiresAt.getTime() <= now.getTime()) {
      // The timer has not run yet, but the hold is over: the slot is free again for others.
      await moveBooking(tx, booking, { to: "expired", actorId: null, now });
      return { expired: true as const };
    }
    // No deposit due: accepted is confirmed.
    const to = booking.depositAmount === 0 ? "confirmed" : "awaiting_deposit";
    const moved = await moveBooking(tx, booking, { to, actorId: actorOf(by), now });
    await tellCustomer(tx, moved.inquiryId, () => outcomeMessage(tx, moved, "booking.accepted"));
    return { booking: moved, changed: true };
  });
  if ("expired" in decision)
    throw new HubError("conflict", "This offer has expired: its hold ran out. Ask us for a new one.");
  return decision;
}

export async function declineBooking(deps: DecisionDeps, bookingId: string, by: Answerer): Promise<Decision> {
  return inTransaction(deps, async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    if (booking.status === "cancelled" && booking.cancelReason === DECLINED) return { booking, changed: false };
    if (booking.status !== "held") {
      throw new HubError(
        "conflict",
        `${bookingReference(booking.number)} is ${booking.status}; it can no longer be declined.`,
      );
    }
    const moved = await moveBooking(tx, booking, {
      to: "cancelled",
      actorId: actorOf(by),
      now: deps.now(),
      reason: DECLINED,
    });
    await tellCustomer(tx, moved.inquiryId, () => outcomeMessage(tx, moved, "booking.declined"));
    return { booking: moved, changed: true };
  });
}

const DECLINED = "declined by the customer";

/** The hold timer: a booking still `held` at its hold_expires_at is expired and its time freed. */
export async function expireHold(deps: DecisionDeps, bookingId: string): Promise<boolean> {
  return inTransaction(deps, async (tx) => {
    const [row] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (row?.status !== "held" || !row.holdExpiresAt) return false;
    // A timer a little early (another host's clock) waits for the retry rather than cut a hold short.
    if (row.holdExpiresAt.getTime() > deps.now().getTime() + 1000)
      throw new Error(`the hold of ${bookingReference(row.number)} has not run out yet`);
    await moveBooking(tx, row, { to: "expired", actorId: null, now: deps.now() });
    return true;
  });
}

/** The outcome, said in the customer's chat when the lead came with one (hub/conversations/tell-customer.ts). */
async function outcomeMessage(
  tx: Executor,
  booking: BookingRow,
  template: "booking.accepted" | "booking.declined",
): Promise<CustomerMessage> {
  const [resource] = await tx
    .select({ name: resources.name })
    .from(resources)
    .where(eq(resources.id, booking.resourceId));
  const next =
    booking.status === "confirmed"
      ? "It is confirmed: see you then."
      : "We will send you the deposit payment link next.";
  return {
    template,
    values: {
      reference: bookingReference(booking.number),
      resource: resource?.name ?? "",
      when: formatLondonForPeople(booking.startsAt),
      next,
    },
  };
}
