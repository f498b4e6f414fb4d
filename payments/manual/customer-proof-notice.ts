// The staff notice of a customer's own proof: whoever works the inquiry (or every notified operator) and every linked
// manager and admin, since only a manager can approve it.
import type { Executor } from "../../db/client";
import type { BookingRow } from "../../hub/bookings";
import type { PaymentRow } from "../orchestrator/attempts";
import type { PaymentDeps } from "../orchestrator/deps";
import { queuePaymentNotice } from "../orchestrator/staff";
import type { ProofRow } from "./store-proof";

const KIND_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/heic": "HEIC",
};
/** Enough of the customer's note to decide whether to open the proof; the whole note is on the proof. */
const NOTE_IN_NOTICE = 500;

/** The notice's text; `head` is the booking, inquiry and deposit line every payment notice starts with. */
export function customerProofNotice(head: string, attempt: PaymentRow, proof: ProofRow, note: string): string {
  const quoted = note.length > NOTE_IN_NOTICE ? `${note.slice(0, NOTE_IN_NOTICE)}…` : note;
  return [
    "Proof of payment from the customer, sent on their payment page.",
    head,
    `${KIND_NAMES[proof.contentType] ?? proof.contentType}, ${Math.max(1, Math.ceil(proof.sizeBytes / 1024))} KB. ${quoted ? `Their note: "${quoted}"` : "No note."}`,
    `Check it against the bank statement. A manager approves or rejects it: POST /payments/${attempt.id}/approve or /reject, or the console's Payments page.`,
  ].join("\n");
}

/** Whoever works the inquiry (or every notified operator), and every linked manager: only a manager can approve it. */
export async function noticeStaffOfCustomerProof(
  tx: Executor,
  deps: Pick<PaymentDeps, "telegramConnected">,
  booking: BookingRow,
  attempt: PaymentRow,
  proof: ProofRow,
  note: string,
): Promise<void> {
  await queuePaymentNotice(tx, deps, booking, attempt, {
    kind: "customer_proof",
    managers: true,
    body: (head) => customerProofNotice(head, attempt, proof, note),
  });
}
