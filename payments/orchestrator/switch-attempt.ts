// A failed attempt (a failed or expired event, a silent watchdog) is closed at its provider before the switch: if
// the provider says it was paid after all, it is confirmed instead (rule 6, never paid twice).
import { eq } from "drizzle-orm";
import { payments } from "../../db/schema";
import { bookingReference, lockBooking } from "../../hub/bookings";
import type { Subscriber } from "../../hub/core/events/bus";
import type { CancelOutcome, RefundResult } from "../provider";
import { adapterFor } from "../registry";
import { isLive, lockPayment, movePayment } from "./attempts";
import { callProvider, failureOf, type CallFailure } from "./calls";
import type { PaymentDeps } from "./deps";
import { failOver } from "./fail-over";
import { settlePaid } from "./settle";
import { recordAudit } from "../../hub/core/audit/record";
import { noticeStaffOfPayment } from "./staff";
import { raisePaymentTask } from "./tasks";

type Closed =
  | { skip: true }
  | { paid: true }
  | { cancel: CancelOutcome | "none" }
  | { cancel: "error"; failure: CallFailure };

export function switchFailedAttempt(deps: PaymentDeps): Subscriber<"payment.attempt_failed", Closed> {
  return {
    name: "payments.switch_failed_attempt",
    type: "payment.attempt_failed",
    async perform(event) {
      const [row] = await deps.db.select().from(payments).where(eq(payments.id, event.payload.payment_id));
      if (!row || !isLive(row)) return { skip: true };
      const adapter = adapterFor(deps.providers, row.provider);
      if (!adapter || !row.providerPaymentId) return { cancel: "none" };
      const id = row.providerPaymentId;
      try {
        const cancel = await callProvider(deps, row.provider, "cancel", () => adapter.cancel(id));
        if (
          cancel === "already_paid" &&
          (await callProvider(deps, row.provider, "status", () => adapter.status(id))) === "paid"
        )
          return { paid: true };
        return { cancel };
      } catch (error) {
        // A provider that cannot even be asked is the failure itself: switch anyway; a late success is refunded.
        return { cancel: "error", failure: failureOf(error) };
      }
    },
    async handle(event, tx, closed) {
      if ("skip" in closed) return;
      if ("paid" in closed) {
        await settlePaid(tx, deps, event.payload.payment_id, "status", null);
        return;
      }
      const booking = await lockBooking(tx, event.payload.booking_id);
      const attempt = await lockPayment(tx, event.payload.payment_id);
      if (!isLive(attempt)) return;
      const note =
        "failure" in closed
          ? `; closing it failed: ${closed.failure.message}`
          : closed.cancel === "unsupported"
            ? "; its page runs until it expires"
            : "";
      await failOver(tx, deps, booking, attempt, {
        status: closed.cancel === "cancelled" ? "cancelled" : event.payload.expired ? "expired" : "failed",
        reason: `${event.payload.reason}${note}`,
        actorId: null,
      });
    },
  };
}

/** An attempt superseded by a paid one is closed at its provider, so it cannot take the money a second time. */
export function closeSuperseded(deps: PaymentDeps): Subscriber<"payment.superseded"> {
  return {
    name: "payments.close_superseded",
    type: "payment.superseded",
    async perform(event) {
      const [row] = await deps.db.select().from(payments).where(eq(payments.id, event.payload.payment_id));
      const adapter = row ? adapterFor(deps.providers, row.provider) : null;
      if (!row?.providerPaymentId || !adapter) return;
      const outcome = await callProvider(deps, row.provider, "cancel", () => adapter.cancel(row.providerPaymentId!));
      deps.logger.info({ paymentId: row.id, outcome }, "superseded attempt closed at its provider");
    },
  };
}

/** A success for a booking that is paid already (or no longer active) goes back through its own provider. */
export function refundDuplicate(
  deps: PaymentDeps,
): Subscriber<"payment.duplicate", RefundResult | { failure: CallFailure }> {
  return {
    name: "payments.refund_duplicate",
    type: "payment.duplicate",
    async perform(event) {
      const [row] = await deps.db.select().from(payments).where(eq(payments.id, event.payload.payment_id));
      const failed = (message: string) => ({ failure: { message, kind: null } });
      if (!row) return failed("the payment is gone");
      const adapter = adapterFor(deps.providers, row.provider);
      if (!adapter) return failed(`${row.provider} is not configured`);
      const refund = () => adapter.refund(row.providerPaymentId ?? "", event.payload.amount, `refund-${row.id}`);
      try {
        // One that cannot refund (a bank transfer) refuses by itself, with why: no outside call to time or record.
        if (!adapter.capabilities.refunds) return await refund();
        if (!row.providerPaymentId) return failed(`${row.provider} is not configured`);
        return await callProvider(deps, row.provider, "refund", refund);
      } catch (error) {
        return { failure: failureOf(error) };
      }
    },
    async handle(event, tx, refund) {
      const booking = await lockBooking(tx, event.payload.booking_id);
      const attempt = await lockPayment(tx, event.payload.payment_id);
      if ("failure" in refund) {
        await recordAudit(tx, {
          actorId: null,
          action: "payment.refund_failed",
          entityType: "payment",
          entityId: attempt.id,
          after: { reason: refund.failure.message },
        });
        await raisePaymentTask(tx, "refund", booking, attempt, deps.now(), { reason: refund.failure.message });
        await noticeStaffOfPayment(tx, deps, booking, attempt, "duplicate_payment");
        return;
      }
      // Written pending, then moved: a refund that succeeded at once goes through movePayment like a later one.
      const [pending] = await tx
        .insert(payments)
        .values({
          bookingId: attempt.bookingId,
          provider: attempt.provider,
          providerName: attempt.providerName,
          providerPaymentId: refund.refundId,
          type: "refund",
          status: "open",
          amount: attempt.amount,
          currency: attempt.currency,
          attemptNumber: attempt.attemptNumber,
          round: attempt.round,
          refundOf: attempt.id,
        })
        .returning();
      if (refund.status === "succeeded") await movePayment(tx, pending!, "refunded", null, { refundedAt: deps.now() });
      if (attempt.status === "paid") {
        await movePayment(
          tx,
          attempt,
          "refunded",
          {
            actorId: null,
            action: "payment.refunded",
            reason: `a second payment for ${bookingReference(booking.number)}; refund ${refund.refundId}`,
          },
          { refundedAt: deps.now() },
        );
      }
    },
  };
}
