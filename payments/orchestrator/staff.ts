// Payment notices to staff in Telegram: a switch to the backup, a manual payment waiting for its proof (a reply with
// a photo or document to this notice is the proof), a duplicate that could not be refunded.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries, type StaffNoticeKind } from "../../db/schema";
import { bookingReference, type BookingRow, formatMoney } from "../../hub/bookings";
import { inquiryReference } from "../../hub/pipeline";
import { queueStaffNotices, assigneeOrNotified, linkedManagers } from "../../hub/staff";
import { minorAmount, type PaymentRow } from "./attempts";
import type { PaymentDeps } from "./deps";

type PaymentNotice = Extract<StaffNoticeKind, "payment_switched" | "manual_payment_required" | "duplicate_payment">;

/**
 * Queues a payment's notice for whoever works the inquiry (or every notified operator) and, with `managers`, every
 * linked manager and admin as well; `body` is written once the inquiry's number is known. Nothing without Telegram.
 */
export async function queuePaymentNotice(
  tx: Executor,
  deps: Pick<PaymentDeps, "telegramConnected">,
  booking: BookingRow,
  attempt: PaymentRow,
  notice: { kind: StaffNoticeKind; managers: boolean; body: (head: string) => string },
): Promise<void> {
  if (!deps.telegramConnected()) return;
  const [inquiry] = await tx
    .select({ number: inquiries.number, assigneeId: inquiries.assigneeId })
    .from(inquiries)
    .where(eq(inquiries.id, booking.inquiryId));
  if (!inquiry) return;
  const head = `${bookingReference(booking.number)} · ${inquiryReference(inquiry.number)} · deposit ${formatMoney(minorAmount(attempt), attempt.currency)}`;
  const recipients = await assigneeOrNotified(tx, inquiry.assigneeId);
  if (notice.managers)
    for (const m of await linkedManagers(tx)) if (!recipients.some((r) => r.id === m.id)) recipients.push(m);
  await queueStaffNotices(tx, recipients, {
    inquiryId: booking.inquiryId,
    kind: notice.kind,
    body: notice.body(head),
    paymentId: attempt.id,
  });
}

export async function noticeStaffOfPayment(
  tx: Executor,
  deps: Pick<PaymentDeps, "telegramConnected">,
  booking: BookingRow,
  attempt: PaymentRow,
  kind: PaymentNotice,
): Promise<void> {
  const body = (head: string) =>
    ({
      payment_switched: `Payment switched to backup (${attempt.providerName}), attempt #${attempt.attemptNumber}.\n${head}\nThe customer has been told; their link still works.`,
      manual_payment_required: `Manual payment required.\n${head}\nWhen the customer's transfer arrives, reply to this message with a photo or PDF of the proof and a caption saying what it shows. A manager who did not send the proof approves it.`,
      duplicate_payment: `Duplicate payment: refund by hand.\n${head}\nAttempt #${attempt.attemptNumber} (${attempt.providerName}) was paid after the booking was paid already, and the automatic refund failed.`,
    })[kind];
  // A duplicate is money to give back: the managers hear of it as well as whoever works the inquiry.
  await queuePaymentNotice(tx, deps, booking, attempt, { kind, managers: kind === "duplicate_payment", body });
}
