// A member of staff records that the customer did not come: only once the booking has begun, and the deposit is kept.
import { inTransaction } from "../core/context";
import { HubError } from "../core/errors";
import { formatLondonForPeople } from "../core/time";
import type { DecisionDeps } from "./decisions";
import { type BookingRow, bookingReference, canMove, lockBooking, moveBooking } from "./lifecycle";
import { formatMoney } from "./money";

/**
 * `confirmed` (or `completed` by its timer) → `no_show`, audited with who and why, `booking.no_show` written. Before
 * the start it is a conflict saying when the booking starts. Nothing is refunded: the deposit is the business's.
 */
export async function markNoShow(deps: DecisionDeps, bookingId: string, userId: string): Promise<BookingRow> {
  return inTransaction(deps, async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    const reference = bookingReference(booking.number);
    // A move the table refuses says so first (moveBooking's message): a cancelled booking is no no-show at any time.
    if (canMove(booking.status, "no_show") && deps.now().getTime() < booking.startsAt.getTime()) {
      throw new HubError(
        "conflict",
        `${reference} starts at ${formatLondonForPeople(booking.startsAt)}: a no-show can be recorded only after its start.`,
      );
    }
    return moveBooking(tx, booking, { to: "no_show", actorId: userId, now: deps.now(), reason: reasonOf(booking) });
  });
}

const reasonOf = (booking: BookingRow) =>
  booking.depositAmount > 0
    ? `the customer did not come; the deposit of ${formatMoney(booking.depositAmount, booking.currency)} is kept`
    : "the customer did not come";
