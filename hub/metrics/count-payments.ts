// Keeps converted_count and revenue of inquiry_metrics_daily from the payment events, by London date (rules in
// money-rules.ts): money in on its paid date, money back on its refund date, a conversion on the first payment's.
import { and, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { payments } from "../../db/schema";
import { minorAmount } from "../../payments";
import type { Subscriber } from "../core/events/bus";
import type { HubEvent } from "../core/events/types";
import { londonDate } from "../core/time";
import { addToDay } from "./add-to-day";
import { isFirstPayment, isMoneyBack, paymentWithLead } from "./money-rules";

async function countPaid(event: HubEvent<"payment.paid" | "payment.duplicate">, tx: Executor) {
  const [p] = await paymentWithLead(tx).where(eq(payments.id, event.payload.payment_id));
  if (!p?.paidAt) return;
  const first = await isFirstPayment(tx, { id: p.id, inquiryId: p.inquiryId, paidAt: p.paidAt });
  await addToDay(tx, londonDate(p.paidAt), p.source, { convertedCount: first ? 1 : 0, revenue: minorAmount(p) });
}

/** The booking's deposit paid. (The name is the one the old counter had: events it saw are not counted again.) */
export const countConversions: Subscriber<"payment.paid"> = {
  name: "metrics.count-conversions",
  type: "payment.paid",
  handle: countPaid,
};

/** A second success for a booking: money in all the same, until its refund takes it back. */
export const countDuplicatePayments: Subscriber<"payment.duplicate"> = {
  name: "metrics.count-duplicate-payments",
  type: "payment.duplicate",
  handle: countPaid,
};

export const countRefunds: Subscriber<"payment.refunded"> = {
  name: "metrics.count-refunds",
  type: "payment.refunded",
  async handle(event, tx) {
    const [p] = await paymentWithLead(tx).where(eq(payments.id, event.payload.payment_id));
    if (!p) return;
    const [back] = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.id, p.id), isMoneyBack));
    if (!back || !p.refundedAt) return;
    await addToDay(tx, londonDate(p.refundedAt), p.source, { revenue: -minorAmount(p) });
  },
};
