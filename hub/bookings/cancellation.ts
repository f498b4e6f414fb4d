// Cancelling a booking under the cancellation policy, whoever cancels: the customer (in their chat, or on the booking
// page) or a member of staff. The booking records what became of a paid deposit (cancel_refund); payments/ refunds it
// from booking.cancelled, so the refund goes through the provider that took the money, outside this transaction.
import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payments, resources } from "../../db/schema";
import type { AuthUser } from "../auth/users";
import { hasRole } from "../auth/users";
import { tellCustomer } from "../conversations";
import { inTransaction } from "../core/context";
import { HubError } from "../core/errors";
import { formatLondonForPeople } from "../core/time";
import type { DecisionDeps } from "./decisions";
import { type BookingRow, bookingReference, lockBooking, moveBooking } from "./lifecycle";
import { formatMoney, fromNumeric } from "./money";

/** `policy`: as CANCELLATION_FULL_REFUND_HOURS says; `full` or `none`: a manager's override. */
export const REFUND_CHOICES = ["policy", "full", "none"] as const;
export type RefundChoice = (typeof REFUND_CHOICES)[number];

export interface CancellationPolicy {
  /** A booking cancelled at least this many hours before its start has its paid deposit refunded in full. */
  fullRefundHours: number;
}

export type CancelDeps = DecisionDeps & { policy: CancellationPolicy };

export type Canceller = { kind: "customer" } | { kind: "staff"; user: AuthUser };

export interface CancelRequest {
  by: Canceller;
  /** Staff give one; a customer's cancellation says it was theirs. */
  reason?: string;
  refund?: RefundChoice;
  /**
   * A customer's "Yes, cancel" to the question asked at this moment (bookings.cancel_asked_at): checked under the
   * booking's lock, so a "Keep my booking" that came in between wins and nothing is cancelled.
   */
  askedAt?: Date;
}

export interface Cancellation {
  booking: BookingRow;
  /** False when the booking was cancelled already by the same customer (a second tap): nothing changed. */
  changed: boolean;
}

/** Whether the policy refunds a deposit in full when cancelled at `now`: at least fullRefundHours before the start. */
export function policyRefund(booking: Pick<BookingRow, "startsAt">, now: Date, policy: CancellationPolicy) {
  const ahead = booking.startsAt.getTime() - now.getTime();
  return ahead >= policy.fullRefundHours * 3_600_000 ? "full" : "none";
}

const CANCELLABLE = new Set<BookingRow["status"]>(["held", "awaiting_deposit", "confirmed"]);
export const BY_CUSTOMER = "cancelled by the customer";

/**
 * Cancels the booking and decides its paid deposit: refunded in full, or kept. A customer's second tap on a booking
 * they cancelled already changes nothing; any other cancellation of a booking that is no longer active is a conflict.
 * An override of the policy needs a manager.
 */
export async function cancelUnderPolicy(
  deps: CancelDeps,
  bookingId: string,
  request: CancelRequest,
): Promise<Cancellation> {
  const choice = request.refund ?? "policy";
  if (choice !== "policy" && (request.by.kind !== "staff" || !hasRole(request.by.user, "manager")))
    throw new HubError("forbidden", `Only a manager may override the cancellation policy (refund "${choice}").`);
  return inTransaction(deps, async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    const reference = bookingReference(booking.number);
    if (
      request.by.kind === "customer" &&
      booking.status === "cancelled" &&
      booking.cancelReason?.startsWith(BY_CUSTOMER)
    )
      return { booking, changed: false };
    if (!CANCELLABLE.has(booking.status))
      throw new HubError("conflict", `${reference} is ${booking.status}; it can no longer be cancelled.`);
    if (request.askedAt && booking.cancelAskedAt?.getTime() !== request.askedAt.getTime())
      throw new HubError("conflict", `You chose to keep ${reference} meanwhile: it stays booked.`);
    const now = deps.now();
    const paid = await paidDeposit(tx, booking.id);
    const refund = paid === 0 ? null : choice === "policy" ? policyRefund(booking, now, deps.policy) : choice;
    const reason = [
      request.by.kind === "customer" ? BY_CUSTOMER : request.reason,
      refund && refundClause(booking, paid, refund, choice, deps.policy),
    ]
      .filter(Boolean)
      .join("; ");
    const moved = await moveBooking(tx, booking, {
      to: "cancelled",
      actorId: request.by.kind === "staff" ? request.by.user.id : null,
      now,
      reason,
      byCustomer: request.by.kind === "customer",
      cancelRefund: refund,
    });
    await tellCustomer(tx, moved.inquiryId, () => cancelledMessage(tx, moved, paid, refund));
    return { booking: moved, changed: true };
  });
}

/** What the booking's paid attempts hold (minor units), less what was refunded or is being refunded already. */
export async function paidDeposit(tx: Executor, bookingId: string): Promise<number> {
  const rows = await tx
    .select({
      id: payments.id,
      type: payments.type,
      status: payments.status,
      refundOf: payments.refundOf,
      amount: payments.amount,
      currency: payments.currency,
    })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), ne(payments.status, "failed")));
  const paid = new Set(rows.filter((row) => row.type !== "refund" && row.status === "paid").map((row) => row.id));
  let held = 0;
  for (const row of rows) {
    const minor = fromNumeric(row.amount, row.currency);
    if (paid.has(row.id)) held += minor;
    else if (row.refundOf && paid.has(row.refundOf)) held -= minor;
  }
  return Math.max(0, held);
}

function refundClause(
  booking: BookingRow,
  paid: number,
  refund: "full" | "none",
  choice: RefundChoice,
  policy: CancellationPolicy,
): string {
  const money = formatMoney(paid, booking.currency);
  if (choice !== "policy")
    return refund === "full"
      ? `the deposit of ${money} is refunded in full (override)`
      : `the deposit of ${money} is kept (override)`;
  return refund === "full"
    ? `the deposit of ${money} is refunded in full: cancelled at least ${policy.fullRefundHours} h before the start`
    : `the deposit of ${money} is kept: cancelled less than ${policy.fullRefundHours} h before the start`;
}

async function cancelledMessage(tx: Executor, booking: BookingRow, paid: number, refund: "full" | "none" | null) {
  const [resource] = await tx
    .select({ name: resources.name })
    .from(resources)
    .where(eq(resources.id, booking.resourceId));
  const money = formatMoney(paid, booking.currency);
  const deposit =
    refund === "full"
      ? `Your deposit of ${money} will be refunded in full; we will tell you when it is on its way.`
      : refund === "none"
        ? `As our cancellation policy says, the deposit of ${money} is kept for a cancellation this close to the booking.`
        : "";
  return {
    template: "booking.cancelled" as const,
    values: {
      reference: bookingReference(booking.number),
      resource: resource?.name ?? "",
      when: formatLondonForPeople(booking.startsAt),
      deposit,
    },
  };
}
