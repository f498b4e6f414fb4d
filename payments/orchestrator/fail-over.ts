// Rule 6: an attempt that failed (or was closed) hands the booking's payment to the next provider: Stripe, then the
// secondary (is_fallback, "Payment switched to backup"), then manual ("Manual payment required" when it opens).
import type { Executor } from "../../db/client";
import { recordAudit } from "../../hub/core/audit/record";
import type { BookingRow } from "../../hub/bookings";
import { appendEvent } from "../../hub/core/events/outbox";
import { adapterFor, nextProvider } from "../registry";
import { createAttempt, eventPayload, movePayment, type PaymentRow } from "./attempts";
import type { PaymentDeps } from "./deps";
import { raisePaymentTask } from "./tasks";

export interface Closing {
  /** How the attempt ended: `cancelled` when the hub closed it at its provider. */
  status: "failed" | "cancelled" | "expired";
  reason: string;
  actorId: string | null;
}

export async function failOver(
  tx: Executor,
  deps: Pick<PaymentDeps, "providers" | "now">,
  booking: BookingRow,
  attempt: PaymentRow,
  closing: Closing,
): Promise<PaymentRow | null> {
  const closed = await movePayment(tx, attempt, closing.status, {
    actorId: closing.actorId,
    action: `payment.${closing.status}`,
    reason: closing.reason,
  });
  // A booking cancelled meanwhile needs no more attempts.
  if (booking.status !== "awaiting_deposit") return null;
  const now = deps.now();
  const next = nextProvider(deps.providers, attempt.provider);
  if (!next) {
    await raisePaymentTask(tx, "failed", booking, closed, now, { reason: closing.reason });
    await appendEvent(tx, {
      type: "payment.failed",
      aggregateType: "payment",
      aggregateId: closed.id,
      payload: { ...eventPayload(closed), reason: closing.reason },
    });
    return null;
  }
  const created = await createAttempt(tx, deps.providers, {
    booking,
    provider: next,
    round: attempt.round,
    isFallback: true,
    actorId: closing.actorId,
  });
  await recordAudit(tx, {
    actorId: closing.actorId,
    action: "payment.switched",
    entityType: "booking",
    entityId: booking.id,
    before: { payment_id: closed.id, provider: closed.provider, attempt_number: closed.attemptNumber },
    after: {
      payment_id: created.id,
      provider: created.provider,
      attempt_number: created.attemptNumber,
      reason: closing.reason,
    },
  });
  await appendEvent(tx, {
    type: "payment.switched",
    aggregateType: "payment",
    aggregateId: created.id,
    payload: {
      ...eventPayload(created),
      from_payment_id: closed.id,
      from_provider: closed.provider,
      reason: closing.reason,
    },
  });
  // A switch to an adapter without a page (manual) raises "Manual payment required" when that attempt opens (also
  // when it is the first one).
  if (adapterFor(deps.providers, next)?.capabilities.checkoutPage)
    await raisePaymentTask(tx, "switched", booking, created, now, {
      from_payment_id: closed.id,
      reason: closing.reason,
    });
  return created;
}
