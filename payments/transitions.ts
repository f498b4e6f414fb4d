// A payment attempt's status changes as a table: what payments/orchestrator and payments/manual do, and nothing
// else. movePayment (orchestrator/attempts.ts) refuses any move it does not hold.
import type { PaymentStatus } from "../db/schema";
import { HubError } from "../hub/core/errors";

/**
 * Where each status may go. A closed attempt (failed, cancelled, expired) may still become paid: a late success is
 * kept, and refunded as a duplicate when the booking is paid already (never paid twice). `open` → `refunded` is a
 * refund row's pending refund done; a deposit is refunded only once paid (the database checks that too).
 */
export const PAYMENT_MOVES: Record<PaymentStatus, readonly PaymentStatus[]> = {
  creating: ["open", "paid", "failed", "cancelled", "expired"],
  open: ["awaiting_approval", "paid", "failed", "cancelled", "expired", "refunded"],
  // A proof is in: a manager approves or rejects it, or a success elsewhere closes it. It has no page to expire.
  awaiting_approval: ["paid", "failed", "cancelled"],
  paid: ["refunded"],
  failed: ["paid"],
  cancelled: ["paid"],
  expired: ["paid"],
  refunded: [],
};

export const canMovePayment = (from: PaymentStatus, to: PaymentStatus) => PAYMENT_MOVES[from].includes(to);

/** A move the table does not hold: the caller read the attempt wrong, or two rules disagree. */
export class PaymentMoveError extends HubError {
  constructor(
    readonly paymentId: string,
    readonly from: PaymentStatus,
    readonly to: PaymentStatus,
  ) {
    super("conflict", `Payment ${paymentId} is ${from}; it cannot become ${to}.`);
    this.name = "PaymentMoveError";
  }
}
