// A success, from a verified webhook, the provider's own answer, or a manager's approval: the first one for an
// active booking confirms it; any other is a duplicate, refunded through its own provider (never paid twice).
import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payments } from "../../db/schema";
import { lockBooking, moveBooking, type BookingRow } from "../../hub/bookings";
import { raisePaymentTask } from "./tasks";
import { appendEvent } from "../../hub/core/events/outbox";
import { eventPayload, lockPayment, otherLiveAttempts, movePayment } from "./attempts";
import type { PaymentDeps } from "./deps";
import { tellCustomer } from "./tell-customer";
import { findInquiry } from "../../hub/inquiries";

export type Settlement = "confirmed" | "duplicate" | "already";

export async function settlePaid(
  tx: Executor,
  deps: Pick<PaymentDeps, "now" | "publicUrl" | "manualInstructions" | "webhookTimeoutMs">,
  paymentId: string,
  via: "webhook" | "status" | "approval",
  actorId: string | null,
): Promise<Settlement> {
  const [found] = await tx.select({ bookingId: payments.bookingId }).from(payments).where(eq(payments.id, paymentId));
  if (!found) return "already";
  // The booking first, as every payment change does: two successes at once queue here, and the second sees the first.
  const booking = await lockBooking(tx, found.bookingId);
  const attempt = await lockPayment(tx, paymentId);
  if (attempt.status === "paid" || attempt.status === "refunded") return "already";
  const now = deps.now();
  const [paidBefore] = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(
      and(
        eq(payments.bookingId, booking.id),
        ne(payments.id, attempt.id),
        ne(payments.type, "refund"),
        eq(payments.status, "paid"),
      ),
    );
  const paid = await movePayment(
    tx,
    attempt,
    "paid",
    { actorId, action: "payment.paid" },
    { paidAt: now, failureReason: null },
  );

  if (booking.status !== "awaiting_deposit" || paidBefore) {
    await appendEvent(tx, {
      type: "payment.duplicate",
      aggregateType: "payment",
      aggregateId: paid.id,
      payload: eventPayload(paid),
    });
    return "duplicate";
  }
  const confirmed = await moveBooking(tx, booking, { to: "confirmed", actorId, now });
  // Whatever else could still take money for this booking is closed, here and (by the event) at its provider.
  await closeLiveAttempts(tx, deps, booking, paid.id, `superseded: attempt #${paid.attemptNumber} was paid`);
  const inquiry = await findInquiry(tx, booking.inquiryId);
  await appendEvent(tx, {
    type: "payment.paid",
    aggregateType: "payment",
    aggregateId: paid.id,
    payload: {
      ...eventPayload(paid),
      inquiry_id: booking.inquiryId,
      source: inquiry!.source,
      partner_code: inquiry!.partnerCode,
      paid_at: now.toISOString(),
      via,
    },
  });
  await tellCustomer(tx, deps, confirmed, paid, "payment.confirmed");
  return "confirmed";
}

/**
 * Closes a booking's other live attempts, here and (by the event) at their providers. A manual one with a proof in
 * may mean the customer transferred money as well: a person checks, and returns it.
 */
export async function closeLiveAttempts(
  tx: Executor,
  deps: Pick<PaymentDeps, "now">,
  booking: BookingRow,
  exceptId: string | null,
  reason: string,
): Promise<void> {
  for (const other of await otherLiveAttempts(tx, booking.id, exceptId)) {
    const closed = await movePayment(tx, other, "cancelled", {
      actorId: null,
      action: "payment.superseded",
      reason,
    });
    await appendEvent(tx, {
      type: "payment.superseded",
      aggregateType: "payment",
      aggregateId: closed.id,
      payload: eventPayload(closed),
    });
    // Only a manual attempt takes a proof (payments/manual): one awaiting approval may mean money sent already.
    if (other.status === "awaiting_approval") {
      await raisePaymentTask(tx, "refund", booking, closed, deps.now(), {
        reason: `a proof of a bank transfer came in, then ${reason.replace(/^superseded: /, "")}`,
      });
    }
  }
}
