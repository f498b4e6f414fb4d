// A booking's payment round: accepted with a deposit, its first attempt goes to the first configured provider.
import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, payments } from "../../db/schema";
import { bookingReference, lockBooking, type BookingRow, newLinkToken } from "../../hub/bookings";
import { HubError } from "../../hub/core/errors";
import type { Subscriber } from "../../hub/core/events/bus";
import { nextProvider } from "../registry";
import { createAttempt, isLive, type PaymentRow } from "./attempts";
import type { PaymentDeps } from "./deps";
import { closeLiveAttempts } from "./settle";

/** The round's first attempt, and the booking as it is now (with its pay token). */
export async function startRound(
  tx: Executor,
  deps: Pick<PaymentDeps, "providers">,
  locked: BookingRow,
  actorId: string | null,
): Promise<{ attempt: PaymentRow; booking: BookingRow }> {
  const reference = bookingReference(locked.number);
  if (locked.status !== "awaiting_deposit")
    throw new HubError(
      "conflict",
      `${reference} is ${locked.status}; a deposit is taken only while it is awaiting_deposit.`,
    );
  if (locked.depositAmount === 0) throw new HubError("conflict", `${reference} has no deposit to pay.`);
  const attempts = await tx
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, locked.id), ne(payments.type, "refund")));
  const live = attempts.find(isLive);
  if (live)
    throw new HubError(
      "conflict",
      `${reference} already has a live payment attempt (#${live.attemptNumber}, ${live.provider}).`,
    );
  if (attempts.some((a) => a.status === "paid")) throw new HubError("conflict", `${reference} is paid already.`);
  let booking = locked;
  if (!booking.payToken) {
    [booking] = (await tx
      .update(bookings)
      .set({ payToken: newLinkToken(), updatedAt: sql`now()` })
      .where(eq(bookings.id, locked.id))
      .returning()) as [BookingRow];
  }
  const round = Math.max(0, ...attempts.map((a) => a.round)) + 1;
  const attempt = await createAttempt(tx, deps.providers, {
    booking,
    provider: nextProvider(deps.providers)!,
    round,
    isFallback: false,
    actorId,
  });
  return { attempt, booking };
}

/** Accepted with a deposit due: the first round starts by itself. */
export function startOnAccept(deps: Pick<PaymentDeps, "providers">): Subscriber<"booking.awaiting_deposit"> {
  return {
    name: "payments.start_on_accept",
    type: "booking.awaiting_deposit",
    async handle(event, tx) {
      const booking = await lockBooking(tx, event.payload.booking_id);
      if (booking.status !== "awaiting_deposit" || booking.depositAmount === 0) return;
      const [any] = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(eq(payments.bookingId, booking.id))
        .limit(1);
      if (any) return;
      await startRound(tx, deps, booking, null);
    },
  };
}

/** A booking cancelled or expired needs no deposit: its live attempt is closed, here and at its provider. */
export function closeOnBookingEnd(
  deps: Pick<PaymentDeps, "now">,
  type: "booking.cancelled" | "booking.expired",
): Subscriber<typeof type> {
  return {
    name: `payments.close_on_${type.slice("booking.".length)}`,
    type,
    wants: (event) => event.payload.from === "awaiting_deposit",
    async handle(event, tx) {
      const booking = await lockBooking(tx, event.payload.booking_id);
      await closeLiveAttempts(tx, deps, booking, null, `superseded: the booking is ${booking.status}`);
    },
  };
}
