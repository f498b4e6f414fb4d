// The tasks the payment rules raise for people (rules 6 and 7), each tied to its inquiry and payment.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries, tasks } from "../../db/schema";
import { bookingReference, type BookingRow } from "../../hub/bookings";
import type { PaymentRow } from "./attempts";

export const PAYMENT_TASKS = {
  switched: { type: "payment.switched", title: "Payment switched to backup" },
  manual: { type: "payment.manual_required", title: "Manual payment required" },
  refund: { type: "payment.duplicate_refund", title: "Duplicate payment: refund" },
  failed: { type: "payment.failed", title: "Payment failed" },
  refunded: { type: "payment.refunded_at_provider", title: "Deposit refunded at the provider" },
  refund_failed: { type: "payment.refund_failed", title: "Refund failed at the provider: pay back by hand" },
} as const;

export async function raisePaymentTask(
  tx: Executor,
  kind: keyof typeof PAYMENT_TASKS,
  booking: BookingRow,
  attempt: PaymentRow,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<void> {
  const [inquiry] = await tx
    .select({ assigneeId: inquiries.assigneeId })
    .from(inquiries)
    .where(eq(inquiries.id, booking.inquiryId));
  const task = PAYMENT_TASKS[kind];
  await tx.insert(tasks).values({
    type: task.type,
    title: `${task.title}: ${bookingReference(booking.number)}`,
    inquiryId: booking.inquiryId,
    assigneeId: inquiry?.assigneeId ?? null,
    dueAt: now,
    payload: {
      payment_id: attempt.id,
      booking_id: booking.id,
      provider: attempt.provider,
      attempt_number: attempt.attemptNumber,
      ...details,
    },
  });
}
