// Refunds the hub asks for: a manager's (POST /payments/{id}/refunds, full or partial) and the cancellation policy's
// (a booking cancelled early enough). Each is a row of its own (type refund, refund_of the attempt), written `open` with
// a payment.refund_requested event; its subscriber asks the provider that took the money, with the row's id as the
// idempotency key, so a retried job never refunds twice. A bank transfer cannot be refunded by a provider: it becomes
// a task, "Refund by bank transfer", which a manager marks done with a note.
import { and, eq, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payments, tasks } from "../../db/schema";
import { bookingReference, formatMoney, lockBooking, type BookingRow } from "../../hub/bookings";
import { tellCustomer } from "../../hub/conversations";
import { recordAudit } from "../../hub/core/audit/record";
import { inTransaction } from "../../hub/core/context";
import { HubError } from "../../hub/core/errors";
import type { Subscriber } from "../../hub/core/events/bus";
import { appendEvent } from "../../hub/core/events/outbox";
import { toNumeric } from "../amount";
import type { RefundResult } from "../provider";
import { adapterFor } from "../registry";
import { eventPayload, lockPayment, minorAmount, movePayment, type PaymentRow } from "./attempts";
import { callProvider, failureOf, type CallFailure } from "./calls";
import type { PaymentDeps } from "./deps";
import { raisePaymentTask } from "./tasks";

export const MANUAL_REFUND_TASK = { type: "payment.manual_refund", title: "Refund by bank transfer" } as const;

export interface RefundRequest {
  /** Minor units (pence): at most what was paid less what is refunded or being refunded already. */
  amount: number;
  note: string;
  /** Null: the hub, by the cancellation policy. */
  requestedBy: string | null;
}

/** What an attempt can still give back: its amount less its refund rows that did not fail. */
export async function refundable(tx: Executor, attempt: PaymentRow): Promise<number> {
  const [row] = await tx
    .select({ taken: sql<string>`coalesce(sum(${payments.amount}), 0)::text` })
    .from(payments)
    .where(and(eq(payments.refundOf, attempt.id), eq(payments.type, "refund"), ne(payments.status, "failed")));
  return minorAmount(attempt) - minorAmount({ amount: row!.taken, currency: attempt.currency });
}

/**
 * Writes the refund row, `open`, audited, and the event that sends it to the provider (or, for a bank transfer, the
 * task for a person). The caller holds the booking's lock, then the attempt's, as every payment change does.
 */
export async function openRefund(
  tx: Executor,
  deps: Pick<PaymentDeps, "now">,
  booking: BookingRow,
  attempt: PaymentRow,
  request: RefundRequest,
): Promise<PaymentRow> {
  if (attempt.type === "refund") throw new HubError("conflict", "A refund cannot itself be refunded.");
  if (attempt.status !== "paid")
    throw new HubError("conflict", `Payment ${attempt.id} is ${attempt.status}: only a paid payment can be refunded.`);
  const left = await refundable(tx, attempt);
  if (request.amount > left)
    throw new HubError(
      "unprocessable",
      `amount: ${formatMoney(request.amount, attempt.currency)} is more than can be refunded: ${formatMoney(left, attempt.currency)} of ${formatMoney(minorAmount(attempt), attempt.currency)} paid is left.`,
      [{ field: "amount", message: `at most ${left}` }],
    );
  const [row] = await tx
    .insert(payments)
    .values({
      bookingId: attempt.bookingId,
      provider: attempt.provider,
      providerName: attempt.providerName,
      type: "refund",
      status: "open",
      amount: toNumeric(request.amount, attempt.currency),
      currency: attempt.currency,
      attemptNumber: attempt.attemptNumber,
      round: attempt.round,
      refundOf: attempt.id,
      requestedBy: request.requestedBy,
      note: request.note,
    })
    .returning();
  const refund = row!;
  await recordAudit(tx, {
    actorId: request.requestedBy,
    action: "payment.refund_requested",
    entityType: "payment",
    entityId: attempt.id,
    after: { refund_id: refund.id, amount: request.amount, currency: attempt.currency, note: request.note },
  });
  if (attempt.provider === "manual") {
    // No provider pays a bank transfer back: a person does, and marks it done (markManualRefundSent).
    await tx.insert(tasks).values({
      type: MANUAL_REFUND_TASK.type,
      title: `${MANUAL_REFUND_TASK.title}: ${formatMoney(request.amount, attempt.currency)} for ${bookingReference(booking.number)}`,
      inquiryId: booking.inquiryId,
      dueAt: deps.now(),
      payload: { payment_id: refund.id, refund_of: attempt.id, booking_id: booking.id, amount: request.amount },
    });
    return refund;
  }
  await appendEvent(tx, {
    type: "payment.refund_requested",
    aggregateType: "payment",
    aggregateId: refund.id,
    payload: { ...eventPayload(refund), refund_of: attempt.id },
  });
  return refund;
}

/** POST /payments/{id}/refunds: a manager's refund of a paid attempt, full or partial. */
export async function requestRefund(deps: PaymentDeps, paymentId: string, request: RefundRequest): Promise<PaymentRow> {
  return inTransaction(deps, async (tx) => {
    const [found] = await tx.select({ bookingId: payments.bookingId }).from(payments).where(eq(payments.id, paymentId));
    if (!found) throw new HubError("not_found", `No payment has id "${paymentId}".`);
    const booking = await lockBooking(tx, found.bookingId);
    return openRefund(tx, deps, booking, await lockPayment(tx, paymentId), request);
  });
}

/** payment.refund_requested: the provider that took the money pays it back; its answer settles the row or fails it. */
export function sendRefund(
  deps: PaymentDeps,
): Subscriber<"payment.refund_requested", RefundResult | { failure: CallFailure }> {
  return {
    name: "payments.send_refund",
    type: "payment.refund_requested",
    async perform(event) {
      const [attempt] = await deps.db.select().from(payments).where(eq(payments.id, event.payload.refund_of));
      const adapter = attempt && adapterFor(deps.providers, attempt.provider);
      if (!attempt?.providerPaymentId || !adapter)
        return { failure: { message: `${event.payload.provider} is not configured here`, kind: null } };
      try {
        return await callProvider(deps, attempt.provider, "refund", () =>
          adapter.refund(attempt.providerPaymentId!, event.payload.amount, `refund-${event.payload.payment_id}`, {
            reference: event.payload.payment_id,
          }),
        );
      } catch (error) {
        return { failure: failureOf(error) };
      }
    },
    async handle(event, tx, result) {
      const booking = await lockBooking(tx, event.payload.booking_id);
      const refund = await lockPayment(tx, event.payload.payment_id);
      if (refund.status !== "open") return;
      if ("failure" in result) {
        await refundFailed(tx, deps, booking, refund, result.failure.message);
        return;
      }
      const [known] = await tx
        .update(payments)
        .set({ providerPaymentId: result.refundId, raw: result.raw ?? null, updatedAt: sql`now()` })
        .where(eq(payments.id, refund.id))
        .returning();
      // Pending: the provider's refund webhook settles it (payments/orchestrator/webhook.ts).
      if (result.status === "succeeded") await settleRefund(tx, deps, known!, "refunded");
    },
  };
}

/**
 * A refund row's outcome: refunded (the customer is told what came back, and an attempt refunded in full becomes
 * `refunded`), or failed with why. The caller holds the booking's lock.
 */
export async function settleRefund(
  tx: Executor,
  deps: Pick<PaymentDeps, "now">,
  refund: PaymentRow,
  outcome: "refunded" | { failed: string },
): Promise<void> {
  if (outcome !== "refunded") {
    await movePayment(tx, refund, "failed", {
      actorId: null,
      action: "payment.refund_failed",
      reason: outcome.failed,
    });
    return;
  }
  const done = await movePayment(tx, refund, "refunded", null, { refundedAt: deps.now() });
  const attempt = await lockPayment(tx, refund.refundOf!);
  const [back] = await tx
    .select({ total: sql<string>`coalesce(sum(${payments.amount}), 0)::text` })
    .from(payments)
    .where(and(eq(payments.refundOf, attempt.id), eq(payments.type, "refund"), eq(payments.status, "refunded")));
  const total = minorAmount({ amount: back!.total, currency: attempt.currency });
  if (attempt.status === "paid" && total >= minorAmount(attempt))
    await movePayment(
      tx,
      attempt,
      "refunded",
      {
        actorId: null,
        action: "payment.refunded",
        reason: `refunded in full by the hub (${formatMoney(total, attempt.currency)})`,
      },
      { refundedAt: deps.now() },
    );
  await tellCustomerOfRefund(tx, done);
}

/** A refund the provider refused or failed: the row `failed` with why, and a task for a person to pay it back. */
export async function refundFailed(
  tx: Executor,
  deps: Pick<PaymentDeps, "now">,
  booking: BookingRow,
  refund: PaymentRow,
  reason: string,
): Promise<void> {
  await settleRefund(tx, deps, refund, { failed: reason });
  const attempt = await lockPayment(tx, refund.refundOf!);
  await raisePaymentTask(tx, "refund_failed", booking, attempt, deps.now(), {
    reason,
    refund_id: refund.id,
    amount: minorAmount(refund),
  });
}

async function tellCustomerOfRefund(tx: Executor, refund: PaymentRow): Promise<void> {
  const booking = await lockBooking(tx, refund.bookingId);
  await tellCustomer(tx, booking.inquiryId, () => ({
    template: "payment.refunded",
    values: {
      reference: bookingReference(booking.number),
      amount: formatMoney(minorAmount(refund), refund.currency),
      how:
        refund.provider === "manual"
          ? "We have sent it by bank transfer to the account you paid from."
          : "It goes back to the card you paid with; banks usually take 5 to 10 working days to show it.",
    },
  }));
}

/** booking.cancelled with a full refund: each paid attempt gives back what it still holds. */
export function refundOnCancel(deps: PaymentDeps): Subscriber<"booking.cancelled"> {
  return {
    name: "payments.refund_on_cancel",
    type: "booking.cancelled",
    wants: (event) => event.payload.cancel_refund === "full",
    async handle(event, tx) {
      const booking = await lockBooking(tx, event.payload.booking_id);
      const paid = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.bookingId, booking.id), ne(payments.type, "refund"), eq(payments.status, "paid")));
      for (const { id } of paid) {
        const attempt = await lockPayment(tx, id);
        const amount = await refundable(tx, attempt);
        if (amount <= 0) continue;
        await openRefund(tx, deps, booking, attempt, {
          amount,
          note: `${event.payload.reference} cancelled: ${booking.cancelReason ?? "by the cancellation policy"}`,
          requestedBy: null,
        });
      }
    },
  };
}

/** A manager says a bank-transfer refund was sent: the row is refunded, its task done, the customer told. */
export async function markManualRefundSent(
  deps: Pick<PaymentDeps, "db" | "now" | "wake">,
  refundId: string,
  by: { userId: string; note: string },
): Promise<PaymentRow> {
  return inTransaction(deps, async (tx) => {
    const [found] = await tx.select().from(payments).where(eq(payments.id, refundId));
    if (!found) throw new HubError("not_found", `No payment has id "${refundId}".`);
    if (found.type !== "refund" || found.provider !== "manual")
      throw new HubError(
        "conflict",
        `Payment ${refundId} is no bank-transfer refund: its provider pays it back itself.`,
      );
    await lockBooking(tx, found.bookingId);
    const refund = await lockPayment(tx, refundId);
    if (refund.status !== "open") throw new HubError("conflict", `Refund ${refundId} is ${refund.status} already.`);
    await recordAudit(tx, {
      actorId: by.userId,
      action: "payment.refund_sent",
      entityType: "payment",
      entityId: refund.id,
      after: { note: by.note },
    });
    await settleRefund(tx, deps, refund, "refunded");
    await tx
      .update(tasks)
      .set({ status: "done", completedAt: deps.now(), updatedAt: sql`now()` })
      .where(
        and(
          eq(tasks.type, MANUAL_REFUND_TASK.type),
          eq(tasks.status, "open"),
          sql`${tasks.payload}->>'payment_id' = ${refund.id}`,
        ),
      );
    const [after] = await tx.select().from(payments).where(eq(payments.id, refund.id));
    return after!;
  });
}
