// The customer's own proof of a bank transfer, sent from their payment page /pay/{token}: a lead without a chat (web
// form, partner, phone) has nowhere else to send it. Kept as a proof like staff's, with the customer as its source;
// staff are told, and a manager who sent none of its proofs approves it as before (four eyes unchanged).
import { and, count, eq, ne } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, paymentProofs, payments } from "../../db/schema";
import { sameSecret } from "../../hub/auth/same-secret";
import { recordAudit } from "../../hub/core/audit/record";
import { inTransaction } from "../../hub/core/context";
import { formatLondonForPeople } from "../../hub/core/time";
import { bookingReference, type BookingRow, LINK_TOKEN, lockBooking } from "../../hub/bookings";
import { lockPayment, movePayment, type PaymentRow } from "../orchestrator/attempts";
import type { PaymentDeps } from "../orchestrator/deps";
import { payPageState } from "../queries";
import { noticeStaffOfCustomerProof } from "./customer-proof-notice";
import { checkProofFile, type ProofFileFault } from "./proof-file";
import { type ProofRow, sameProof, storeProof } from "./store-proof";

/** Files one customer may send for one attempt: room for a second try, not a store for anything else. */
export const MAX_CUSTOMER_PROOFS = 5;
export const MAX_CUSTOMER_NOTE = 2000;
/** The comment a proof must carry (a database check), when the customer wrote no note. */
export const NO_NOTE = "(no note from the customer)";

export interface CustomerUpload {
  /** The token of the payment link the form was posted to. */
  payToken: string;
  /** The form's hidden token: the id of the manual attempt the page showed. Anything else is a forged form. */
  formToken: unknown;
  file: { name: string; bytes: Uint8Array } | undefined;
  note: unknown;
}

/** Why an upload is refused; the route turns each into its status. */
export type CustomerProofRefusal =
  | "forged"
  | "paid"
  | "closed"
  | "unavailable"
  | "not_manual"
  | "out_of_date"
  | "no_file"
  | ProofFileFault
  | "note_too_long"
  | "duplicate"
  | "too_many";

export type CustomerProofOutcome =
  | { kind: "unknown" }
  | { kind: "refused"; why: CustomerProofRefusal; reason: string; booking: BookingRow }
  | { kind: "stored"; booking: BookingRow; attempt: PaymentRow; proof: ProofRow };

const FILE_REASONS: Record<ProofFileFault, string> = {
  empty: "The file you chose is empty. Choose the photo or PDF of your transfer again.",
  too_large: "The file is larger than 10 MB. Send a smaller photo, a screenshot or a PDF.",
  not_a_proof_type: "The file must be a photo (JPEG, PNG or HEIC) or a PDF.",
};

/**
 * Checks, in this order, so that each refusal says the first thing the customer can act on: the link, the form's token,
 * the payment's state (paid, closed, no longer by bank transfer, the page out of date), the file and note, then the
 * same file again and the number of files.
 */
export async function addCustomerProof(deps: PaymentDeps, upload: CustomerUpload): Promise<CustomerProofOutcome> {
  const file = upload.file ? checkProofFile(upload.file.bytes) : undefined;
  const note = typeof upload.note === "string" ? upload.note.trim() : "";
  return inTransaction(deps, async (tx) => {
    const [found] = LINK_TOKEN.test(upload.payToken)
      ? await tx.select({ id: bookings.id }).from(bookings).where(eq(bookings.payToken, upload.payToken))
      : [];
    if (!found) return { kind: "unknown" } as const;
    // Locked first, as every payment change locks it: a switch or an approval waits for this upload, or it for them.
    const booking = await lockBooking(tx, found.id);
    const refuse = (why: CustomerProofRefusal, reason: string): CustomerProofOutcome => ({
      kind: "refused",
      why,
      reason,
      booking,
    });
    const reference = bookingReference(booking.number);

    const shown = await shownAttempt(tx, booking.id, upload.formToken);
    if (!shown)
      return refuse(
        "forged",
        "This form does not come from your payment page. Open your payment link again and send the file from there.",
      );
    const state = await payPageState(tx, upload.payToken);
    if (state.kind === "paid")
      return refuse("paid", `The deposit for ${reference} is paid already: no proof is needed.`);
    if (state.kind === "closed")
      return refuse("closed", `Booking ${reference} is ${booking.status}: no payment is due.`);
    if (state.kind === "unavailable")
      return refuse(
        "unavailable",
        `No payment for ${reference} is open at the moment, so a proof cannot be taken here. We will contact you about how to pay.`,
      );
    if (state.kind !== "manual")
      return refuse(
        "not_manual",
        `The deposit for ${reference} is no longer paid by bank transfer: it can be paid online now. Open your payment link again to pay. If you have transferred the money already, write to us.`,
      );
    if (state.attempt.id !== shown.id)
      return refuse(
        "out_of_date",
        `This page was out of date: the payment for ${reference} was started again after you opened it. Open your payment link again and send the file from there.`,
      );

    if (!file || !upload.file) return refuse("no_file", "Choose a photo or PDF of your transfer to send.");
    if ("fault" in file) return refuse(file.fault, FILE_REASONS[file.fault]);
    if (note.length > MAX_CUSTOMER_NOTE)
      return refuse("note_too_long", `The note may be at most ${MAX_CUSTOMER_NOTE} characters.`);

    const attempt = await lockPayment(tx, state.attempt.id);
    const already = await sameProof(tx, attempt.id, file.sha256);
    if (already)
      return refuse(
        "duplicate",
        `We have this file already (received ${formatLondonForPeople(already.createdAt)}, London time): there is no need to send it again.`,
      );
    if ((await customerProofCount(tx, attempt.id)) >= MAX_CUSTOMER_PROOFS)
      return refuse(
        "too_many",
        `You have sent ${MAX_CUSTOMER_PROOFS} files for this payment already, and we are checking them. Write to us if something is missing.`,
      );

    const comment = note || NO_NOTE;
    const proof = await storeProof(tx, {
      paymentId: attempt.id,
      uploadedBy: null,
      via: "customer",
      senderTelegramUserId: null,
      fileName: upload.file.name,
      bytes: upload.file.bytes,
      ...file,
      comment,
    });
    const audit = { actorId: null, actorKind: "customer", entityType: "payment", entityId: attempt.id } as const;
    if (attempt.status === "open") {
      // Audited here rather than by movePayment, which can name only a user or the system.
      await movePayment(tx, attempt, "awaiting_approval", null);
      await recordAudit(tx, {
        ...audit,
        action: "payment.proof_received",
        before: { status: attempt.status },
        after: { status: "awaiting_approval" },
      });
    }
    await recordAudit(tx, {
      ...audit,
      action: "payment.proof_added",
      after: {
        proof_id: proof.id,
        sha256: proof.sha256,
        size_bytes: proof.sizeBytes,
        content_type: proof.contentType,
        via: "customer",
        comment,
      },
    });
    await noticeStaffOfCustomerProof(tx, deps, booking, attempt, proof, note);
    return { kind: "stored", booking, attempt, proof };
  });
}

/** The manual attempt of this booking whose id the form carries (compared in constant time), if any. */
async function shownAttempt(tx: Executor, bookingId: string, formToken: unknown) {
  if (typeof formToken !== "string") return undefined;
  const manual = await tx
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.bookingId, bookingId), eq(payments.provider, "manual"), ne(payments.type, "refund")));
  return manual.find((a) => sameSecret(formToken, a.id));
}

async function customerProofCount(tx: Executor, paymentId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(paymentProofs)
    .where(and(eq(paymentProofs.paymentId, paymentId), eq(paymentProofs.via, "customer")));
  return row?.n ?? 0;
}
