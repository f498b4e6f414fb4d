// The staff notice of a customer's own proof: whoever works the inquiry (or every notified operator) and every linked
// manager and admin, since only a manager can approve it.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { bookingReference, type BookingRow, formatMoney } from "../../hub/bookings";
import { inquiryReference } from "../../hub/pipeline";
import { assigneeOrNotified, linkedManagers, queueStaffNotices } from "../../hub/staff";
import { minorAmount, type PaymentRow } from "../orchestrator/attempts";
import type { PaymentDeps } from "../orchestrator/deps";
import type { ProofRow } from "./store-proof";

const KIND_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/heic": "HEIC",
};
/** Enough of the customer's note to decide whether to open the proof; the whole note is on the proof. */
const NOTE_IN_NOTICE = 500;

export function customerProofNotice(
  booking: BookingRow,
  inquiryNumber: number,
  attempt: PaymentRow,
  proof: ProofRow,
  note: string,
): string {
  const quoted = note.length > NOTE_IN_NOTICE ? `${note.slice(0, NOTE_IN_NOTICE)}…` : note;
  return [
    "Proof of payment from the customer, sent on their payment page.",
    `${bookingReference(booking.number)} · ${inquiryReference(inquiryNumber)} · deposit ${formatMoney(minorAmount(attempt), attempt.currency)}`,
    `${KIND_NAMES[proof.contentType] ?? proof.contentType}, ${Math.max(1, Math.ceil(proof.sizeBytes / 1024))} KB. ${quoted ? `Their note: "${quoted}"` : "No note."}`,
    `Check it against the bank statement. A manager approves or rejects it: POST /payments/${attempt.id}/approve or /reject, or the console's Payments page.`,
  ].join("\n");
}

export async function noticeStaffOfCustomerProof(
  tx: Executor,
  deps: Pick<PaymentDeps, "telegramConnected">,
  booking: BookingRow,
  attempt: PaymentRow,
  proof: ProofRow,
  note: string,
): Promise<void> {
  if (!deps.telegramConnected()) return;
  const [inquiry] = await tx
    .select({ number: inquiries.number, assigneeId: inquiries.assigneeId })
    .from(inquiries)
    .where(eq(inquiries.id, booking.inquiryId));
  if (!inquiry) return;
  const recipients = await assigneeOrNotified(tx, inquiry.assigneeId);
  for (const m of await linkedManagers(tx)) if (!recipients.some((r) => r.id === m.id)) recipients.push(m);
  await queueStaffNotices(tx, recipients, {
    inquiryId: booking.inquiryId,
    kind: "customer_proof",
    body: customerProofNotice(booking, inquiry.number, attempt, proof, note),
    paymentId: attempt.id,
  });
}
