// What stops an erasure: a booking still running or money still moving. The contract with the customer is being
// performed (UK GDPR art. 6(1)(b)); erased, the hub could no longer remind them, refund them, or match a late payment
// or refund to anyone. Staff finish it first (cancel the booking, decide the payment), then erase.
import { ACTIVE_BOOKING_STATUSES, LIVE_PAYMENT_STATUSES } from "../../db/schema";
import { bookingReference } from "../bookings";
import { formatLondonForPeople } from "../core/time";
import type { Holdings } from "./holdings";

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

/** One sentence per thing still in flight, saying what to do about it; empty when the client may be erased. */
export function liveWork(holdings: Holdings): string[] {
  const bookings = holdings.bookings
    .filter((b) => isOneOf(ACTIVE_BOOKING_STATUSES, b.status))
    .map(
      (b) =>
        `${bookingReference(b.number)} is ${b.status} (starts ${formatLondonForPeople(b.startsAt)}): cancel it, or wait until it has ended`,
    );
  const payments = holdings.payments
    // A refund row is `open` while its provider has not yet paid it back.
    .filter((p) => isOneOf(LIVE_PAYMENT_STATUSES, p.status))
    .map((p) =>
      p.type === "refund"
        ? `refund ${p.id} is still pending at its provider: wait until it is refunded or failed`
        : `payment ${p.id} is ${p.status}: approve or reject it, or let it expire`,
    );
  return [...bookings, ...payments];
}
