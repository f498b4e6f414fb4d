// What staff do to a booking's payments through the API: a new round after a final failure, and a manager's decision
// on a manual payment.
import { findBooking, type BookingRow, lockBooking } from "../hub/bookings";
import { inTransaction } from "../hub/core/context";
import { approveManualPayment, rejectManualPayment } from "./manual";
import type { PaymentRow } from "./orchestrator/attempts";
import type { PaymentDeps } from "./orchestrator/deps";
import { startRound } from "./orchestrator/start";
import { type PaymentDetail, paymentDetail } from "./queries";

/** The round's first attempt goes to the first configured provider again; the customer keeps the same link. */
export async function startNewRound(
  deps: Pick<PaymentDeps, "db" | "wake" | "providers">,
  bookingIdOrReference: string,
  actorId: string,
): Promise<{ attempt: PaymentRow; booking: BookingRow }> {
  const found = await findBooking(deps.db, bookingIdOrReference);
  return inTransaction(deps, async (tx) => startRound(tx, deps, await lockBooking(tx, found.id), actorId));
}

export type ManualDecision = "approve" | "reject";

/** Approved: paid and the booking confirmed; rejected: failed and a task raised. The attempt as it is afterwards. */
export async function decideManualPayment(
  deps: PaymentDeps,
  paymentId: string,
  decision: ManualDecision,
  managerId: string,
  note: string,
): Promise<PaymentDetail> {
  if (decision === "approve") await approveManualPayment(deps, paymentId, managerId, note);
  else await rejectManualPayment(deps, paymentId, managerId, note);
  return paymentDetail(deps.db, paymentId);
}
