// Rule 7: a manual payment is a proof, a comment, a manager's approval and an audit entry, never a "mark as paid".
// The approval, its audit entry and the status change commit together; a trigger refuses a manual "paid" without it.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { manualPaymentApprovals, payments } from "../../db/schema";
import { recordAudit } from "../../hub/core/audit/record";
import { inTransaction } from "../../hub/core/context";
import { bookingReference, lockBooking } from "../../hub/bookings";
import { HubError, invalid } from "../../hub/core/errors";
import { appendEvent } from "../../hub/core/events/outbox";
import { eventPayload, lockPayment, movePayment } from "../orchestrator/attempts";
import type { PaymentDeps } from "../orchestrator/deps";
import { settlePaid } from "../orchestrator/settle";
import { raisePaymentTask } from "../orchestrator/tasks";
import { fourEyesRefusal } from "./four-eyes";
import { checkProofFile, PROOF_FILE_FAULTS } from "./proof-file";
import { type ProofRow, sameProof, storeProof } from "./store-proof";

export type { ProofRow } from "./store-proof";

/** Where a proof came from; one from Telegram names the Telegram user who sent it. */
export type ProofSource = { via: "api" } | { via: "telegram"; telegramUserId: string };

export type NewProof = ProofSource & {
  paymentId: string;
  userId: string;
  fileName: string;
  bytes: Uint8Array;
  comment: string;
};

async function manualAttempt(tx: Executor, paymentId: string) {
  const [found] = await tx.select({ bookingId: payments.bookingId }).from(payments).where(eq(payments.id, paymentId));
  if (!found) throw new HubError("not_found", `No payment has id "${paymentId}".`);
  const booking = await lockBooking(tx, found.bookingId);
  const attempt = await lockPayment(tx, paymentId);
  if (attempt.provider !== "manual")
    throw new HubError(
      "conflict",
      `Payment ${paymentId} is a ${attempt.provider} attempt; proofs and approvals are for manual payments only.`,
    );
  return { booking, attempt };
}

/** The same file sent again (a redelivered Telegram update, a second upload) is the one proof it already is. */
export class DuplicateProofError extends HubError {
  constructor(
    readonly paymentId: string,
    readonly proofId: string,
  ) {
    super("conflict", `This file is a proof of payment ${paymentId} already (proof ${proofId}); it is kept once.`);
    this.name = "DuplicateProofError";
  }
}

export async function addProof(deps: Pick<PaymentDeps, "db" | "wake">, proof: NewProof): Promise<ProofRow> {
  const comment = proof.comment.trim();
  if (!comment) throw invalid("comment", "is required: say what the proof shows");
  const file = checkProofFile(proof.bytes);
  if ("fault" in file) throw invalid("file", PROOF_FILE_FAULTS[file.fault]);
  return inTransaction(deps, async (tx) => {
    const { attempt } = await manualAttempt(tx, proof.paymentId);
    // Asked with the attempt locked, so two deliveries of one file at once keep one. Before the status: the file
    // that was taken is still the same proof once the payment is decided.
    const already = await sameProof(tx, attempt.id, file.sha256);
    if (already) throw new DuplicateProofError(attempt.id, already.id);
    if (attempt.status !== "open" && attempt.status !== "awaiting_approval") {
      throw new HubError(
        "conflict",
        `Payment ${attempt.id} is ${attempt.status}; a proof is taken only while it is open or awaiting approval.`,
      );
    }
    const stored = await storeProof(tx, {
      paymentId: attempt.id,
      uploadedBy: proof.userId,
      via: proof.via,
      senderTelegramUserId: proof.via === "telegram" ? proof.telegramUserId : null,
      fileName: proof.fileName,
      bytes: proof.bytes,
      ...file,
      comment,
    });
    if (attempt.status === "open")
      await movePayment(tx, attempt, "awaiting_approval", {
        actorId: proof.userId,
        action: "payment.proof_received",
      });
    await recordAudit(tx, {
      actorId: proof.userId,
      action: "payment.proof_added",
      entityType: "payment",
      entityId: attempt.id,
      after: {
        proof_id: stored.id,
        sha256: stored.sha256,
        size_bytes: stored.sizeBytes,
        content_type: file.contentType,
        via: proof.via,
        ...(proof.via === "telegram" ? { telegram_user_id: proof.telegramUserId } : {}),
        comment,
      },
    });
    return stored;
  });
}

/**
 * A manager or admin who sent none of its proofs, from no Telegram account of theirs, approves it: paid, the booking
 * confirmed.
 */
export async function approveManualPayment(deps: PaymentDeps, paymentId: string, managerId: string, note: string) {
  return inTransaction(deps, async (tx) => {
    const { booking, attempt } = await manualAttempt(tx, paymentId);
    if (attempt.status !== "awaiting_approval") {
      throw new HubError(
        "conflict",
        attempt.status === "open"
          ? `Payment ${attempt.id} has no proof yet: upload one first.`
          : `Payment ${attempt.id} is ${attempt.status}; it cannot be approved.`,
      );
    }
    const refusal = await fourEyesRefusal(tx, attempt.id, managerId);
    if (refusal) throw new HubError("forbidden", refusal);
    if (booking.status !== "awaiting_deposit") {
      throw new HubError(
        "conflict",
        `${bookingReference(booking.number)} is ${booking.status}: it needs no deposit now. Reject this payment and return the transfer.`,
      );
    }
    const [row] = await tx
      .insert(manualPaymentApprovals)
      .values({ paymentId: attempt.id, approvedBy: managerId, note })
      .returning();
    await recordAudit(tx, {
      actorId: managerId,
      action: "payment.approved",
      entityType: "payment",
      entityId: attempt.id,
      before: { status: attempt.status },
      after: { approval_id: row!.id, note },
    });
    await settlePaid(tx, deps, attempt.id, "approval", managerId);
    return row!;
  });
}

/** Marks it failed with the manager's reason and raises a task: the round is over; a new one may start. */
export async function rejectManualPayment(
  deps: PaymentDeps,
  paymentId: string,
  managerId: string,
  note: string,
): Promise<void> {
  await inTransaction(deps, async (tx) => {
    const { booking, attempt } = await manualAttempt(tx, paymentId);
    if (attempt.status !== "open" && attempt.status !== "awaiting_approval")
      throw new HubError("conflict", `Payment ${attempt.id} is ${attempt.status}; it cannot be rejected.`);
    const failed = await movePayment(tx, attempt, "failed", {
      actorId: managerId,
      action: "payment.rejected",
      reason: `rejected: ${note}`,
    });
    await raisePaymentTask(tx, "failed", booking, failed, deps.now(), { reason: `rejected by a manager: ${note}` });
    await appendEvent(tx, {
      type: "payment.failed",
      aggregateType: "payment",
      aggregateId: failed.id,
      payload: { ...eventPayload(failed), reason: `rejected: ${note}` },
    });
  });
}
