// What staff do to a booking they name by id or reference (BKG-12), as the API's paths do: not_found comes first.
import type { AuthUser } from "../auth/users";
import { type CancelDeps, cancelUnderPolicy, type RefundChoice } from "./cancellation";
import { acceptBooking, type DecisionDeps } from "./decisions";
import { findBooking } from "./find";
import type { BookingRow } from "./lifecycle";
import { markNoShow } from "./no-show";
import { proposeBooking, type ProposeDeps, type Proposal } from "./propose";

export async function proposeNamedBooking(
  deps: ProposeDeps,
  idOrReference: string,
  actorId: string,
): Promise<Proposal> {
  const { id } = await findBooking(deps.db, idOrReference);
  return proposeBooking(deps, id, actorId);
}

/** The customer's acceptance given another way (by phone), recorded by a member of staff. */
export async function acceptNamedBooking(
  deps: DecisionDeps,
  idOrReference: string,
  userId: string,
): Promise<BookingRow> {
  const { id } = await findBooking(deps.db, idOrReference);
  return (await acceptBooking(deps, id, { kind: "staff", userId })).booking;
}

/** Staff cancel under the cancellation policy; a manager may override what it does with the deposit. */
export async function cancelNamedBooking(
  deps: CancelDeps,
  idOrReference: string,
  request: { reason: string; refund?: RefundChoice },
  user: AuthUser,
): Promise<BookingRow> {
  const { id } = await findBooking(deps.db, idOrReference);
  return (await cancelUnderPolicy(deps, id, { by: { kind: "staff", user }, ...request })).booking;
}

/** The customer did not come (only after the start): hub/bookings/no-show.ts. */
export async function markNamedNoShow(deps: DecisionDeps, idOrReference: string, userId: string): Promise<BookingRow> {
  const { id } = await findBooking(deps.db, idOrReference);
  return markNoShow(deps, id, userId);
}
