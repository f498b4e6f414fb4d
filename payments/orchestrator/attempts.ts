// Writing and reading payment attempts. Amounts leave the row as minor units (payments/amount.ts).
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { LIVE_PAYMENT_STATUSES, payments, type PaymentProvider, type PaymentStatus } from "../../db/schema";
import { recordAudit } from "../../hub/core/audit/record";
import type { BookingRow } from "../../hub/bookings";
import { HubError } from "../../hub/core/errors";
import { appendEvent } from "../../hub/core/events/outbox";
import type { PaymentEventPayload } from "../../hub/core/events/types";
import { fromNumeric, toNumeric } from "../amount";
import { adapterName, type PaymentProviders } from "../registry";
import { canMovePayment, PaymentMoveError } from "../transitions";

export type PaymentRow = typeof payments.$inferSelect;

export const isLive = (row: Pick<PaymentRow, "status">) =>
  (LIVE_PAYMENT_STATUSES as readonly string[]).includes(row.status);
export const minorAmount = (row: Pick<PaymentRow, "amount" | "currency">) => fromNumeric(row.amount, row.currency);

export const eventPayload = (row: PaymentRow): PaymentEventPayload => ({
  payment_id: row.id,
  booking_id: row.bookingId,
  provider: row.provider,
  attempt_number: row.attemptNumber,
  amount: minorAmount(row),
  currency: row.currency,
});

export async function lockPayment(tx: Executor, id: string): Promise<PaymentRow> {
  const [row] = await tx.select().from(payments).where(eq(payments.id, id)).for("update");
  if (!row) throw new HubError("not_found", `No payment has id "${id}".`);
  return row;
}

export interface NewAttempt {
  booking: BookingRow;
  provider: PaymentProvider;
  round: number;
  isFallback: boolean;
  actorId: string | null;
}

/** Writes the next attempt, `creating`, and the event whose subscriber asks its provider for a page. */
export async function createAttempt(
  tx: Executor,
  providers: PaymentProviders,
  attempt: NewAttempt,
): Promise<PaymentRow> {
  const [last] = await tx
    .select({ n: sql<number>`coalesce(max(${payments.attemptNumber}), 0)`.mapWith(Number) })
    .from(payments)
    .where(and(eq(payments.bookingId, attempt.booking.id), ne(payments.type, "refund")));
  const [row] = await tx
    .insert(payments)
    .values({
      bookingId: attempt.booking.id,
      provider: attempt.provider,
      providerName: adapterName(providers, attempt.provider),
      type: "deposit",
      status: "creating",
      amount: toNumeric(attempt.booking.depositAmount, attempt.booking.currency),
      currency: attempt.booking.currency,
      attemptNumber: (last?.n ?? 0) + 1,
      isFallback: attempt.isFallback,
      round: attempt.round,
    })
    .returning();
  await recordAudit(tx, {
    actorId: attempt.actorId,
    action: "payment.attempt_created",
    entityType: "payment",
    entityId: row!.id,
    after: {
      booking_id: row!.bookingId,
      provider: row!.provider,
      attempt_number: row!.attemptNumber,
      is_fallback: row!.isFallback,
      round: row!.round,
    },
  });
  await appendEvent(tx, {
    type: "payment.attempt_created",
    aggregateType: "payment",
    aggregateId: row!.id,
    payload: { ...eventPayload(row!), is_fallback: row!.isFallback, round: row!.round },
  });
  return row!;
}

export interface PaymentAudit {
  actorId: string | null;
  action: string;
  /** Kept as the attempt's failure_reason as well. */
  reason?: string;
}

/**
 * The one writer of payments.status after the insert: a move PAYMENT_MOVES holds (else PaymentMoveError, nothing
 * written), audited unless `audit` is null (a refund row, whose attempt's own entry tells it); `changes` may carry the
 * columns that go with it. A move to `refunded` stamps refunded_at (`changes.refundedAt`, else the database's now)
 * and writes payment.refunded, from which the daily metrics take the money back on that London date.
 */
export async function movePayment(
  tx: Executor,
  row: PaymentRow,
  to: PaymentStatus,
  audit: PaymentAudit | null,
  changes: Partial<Omit<PaymentRow, "status">> = {},
): Promise<PaymentRow> {
  if (!canMovePayment(row.status, to)) throw new PaymentMoveError(row.id, row.status, to);
  const [updated] = await tx
    .update(payments)
    .set({
      ...changes,
      status: to,
      ...(audit?.reason ? { failureReason: audit.reason } : {}),
      ...(to === "refunded" ? { refundedAt: changes.refundedAt ?? sql`now()` } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(payments.id, row.id))
    .returning();
  if (to === "refunded")
    await appendEvent(tx, {
      type: "payment.refunded",
      aggregateType: "payment",
      aggregateId: row.id,
      payload: {
        ...eventPayload(updated!),
        type: updated!.type,
        refund_of: updated!.refundOf,
        refunded_at: updated!.refundedAt!.toISOString(),
      },
    });
  if (audit)
    await recordAudit(tx, {
      actorId: audit.actorId,
      action: audit.action,
      entityType: "payment",
      entityId: row.id,
      before: { status: row.status },
      after: { status: to, ...(audit.reason ? { reason: audit.reason } : {}) },
    });
  return updated!;
}

/** The live attempts of a booking, other than `exceptId`. */
export const otherLiveAttempts = (tx: Executor, bookingId: string, exceptId: string | null) =>
  tx
    .select()
    .from(payments)
    .where(
      and(
        eq(payments.bookingId, bookingId),
        exceptId ? ne(payments.id, exceptId) : undefined,
        ne(payments.type, "refund"),
        inArray(payments.status, [...LIVE_PAYMENT_STATUSES]),
      ),
    )
    .for("update");
