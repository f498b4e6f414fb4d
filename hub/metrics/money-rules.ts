// What counts as a conversion and as money, read from the source tables. The subscribers (count-payments.ts) and
// the rebuild (rebuild.ts) both ask these questions, so the incremental table and a rebuild agree by construction.
import { and, eq, isNotNull, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, inquiries, payments } from "../../db/schema";

const refundRows = sql`(select 1 from ${payments} as r where r.refund_of = ${payments.id} and r.type = 'refund')`;

/**
 * Paid money: an attempt (deposit or full) with a paid_at, whatever became of it later. A duplicate counts too: the
 * money came in, and its refund takes it back.
 */
export const isPaidAttempt = and(ne(payments.type, "refund"), isNotNull(payments.paidAt));

/**
 * Money back: a refund row now `refunded`; or an attempt `refunded` with no refund row of the hub's own (refunded at
 * the provider, which told us by webhook). An attempt the hub refunded is told by its refund row, so it counts once.
 */
export const isMoneyBack = and(
  eq(payments.status, "refunded"),
  isNotNull(payments.refundedAt),
  or(eq(payments.type, "refund"), sql`not exists ${refundRows}`),
);

/** A payment with its lead's source and inquiry. */
export const paymentWithLead = (tx: Executor) =>
  tx
    .select({
      id: payments.id,
      amount: payments.amount,
      currency: payments.currency,
      paidAt: payments.paidAt,
      refundedAt: payments.refundedAt,
      inquiryId: bookings.inquiryId,
      source: inquiries.source,
    })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId));

/**
 * Whether this paid attempt is its inquiry's first (earliest paid_at, then id): the inquiry converts once, on the
 * London date of its first payment.
 */
export async function isFirstPayment(tx: Executor, p: { id: string; inquiryId: string; paidAt: Date }) {
  const [earlier] = await tx
    .select({ id: payments.id })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .where(
      and(
        eq(bookings.inquiryId, p.inquiryId),
        isPaidAttempt,
        ne(payments.id, p.id),
        or(
          sql`${payments.paidAt} < ${p.paidAt.toISOString()}::timestamptz`,
          and(sql`${payments.paidAt} = ${p.paidAt.toISOString()}::timestamptz`, sql`${payments.id} < ${p.id}::uuid`),
        ),
      ),
    )
    .limit(1);
  return !earlier;
}
