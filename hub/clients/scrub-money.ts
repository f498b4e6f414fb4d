// Erasing the person from their bookings and payments, and keeping the money: amounts, currencies, dates, statuses and
// the providers' ids stay (the books need them, and reports are made from them); the providers' payloads (which carry
// the payer's name and e-mail), the proofs' files and every note written about them go.
import { and, inArray, isNotNull, ne, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, manualPaymentApprovals, paymentProofs, payments, paymentWebhookEvents } from "../../db/schema";
import type { Holdings } from "./holdings";
import { ERASED } from "./redact";

export interface MoneyScrub {
  bookings: number;
  payments: number;
  payment_events: number;
  proofs: number;
  approvals: number;
}

const ERASED_PAYLOAD = { erased: true };

export async function scrubMoney(tx: Executor, held: Holdings): Promise<MoneyScrub> {
  const bookingIds = held.bookings.map((b) => b.id);
  const paymentIds = held.payments.map((p) => p.id);
  const noPayments = paymentIds.length === 0;
  const [bookingRows, paymentRows, events, proofs, approvals] = await Promise.all([
    bookingIds.length === 0
      ? []
      : tx
          .update(bookings)
          .set({ cancelReason: ERASED, updatedAt: sql`now()` })
          .where(
            and(inArray(bookings.id, bookingIds), isNotNull(bookings.cancelReason), ne(bookings.cancelReason, ERASED)),
          )
          .returning({ id: bookings.id }),
    noPayments
      ? []
      : tx
          .update(payments)
          // A refund's note is free text about the person; a null one stays null (the schema needs none).
          .set({
            raw: null,
            note: sql`case when ${payments.note} is null then null else ${ERASED} end`,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              inArray(payments.id, paymentIds),
              or(isNotNull(payments.raw), and(isNotNull(payments.note), ne(payments.note, ERASED))),
            ),
          )
          .returning({ id: payments.id }),
    noPayments
      ? []
      : tx
          .update(paymentWebhookEvents)
          .set({ payload: ERASED_PAYLOAD })
          .where(
            and(
              inArray(paymentWebhookEvents.paymentId, paymentIds),
              sql`${paymentWebhookEvents.payload} <> ${JSON.stringify(ERASED_PAYLOAD)}::jsonb`,
            ),
          )
          .returning({ id: paymentWebhookEvents.id }),
    // The row stays (who sent it, when, how large, which payment it proved); the file and the words go.
    held.proofIds.length === 0
      ? []
      : tx
          .update(paymentProofs)
          .set({ content: Buffer.alloc(0), fileName: ERASED, comment: ERASED, sha256: ERASED })
          .where(
            and(
              inArray(paymentProofs.id, held.proofIds),
              or(ne(paymentProofs.fileName, ERASED), sql`length(${paymentProofs.content}) > 0`),
            ),
          )
          .returning({ id: paymentProofs.id }),
    noPayments
      ? []
      : tx
          .update(manualPaymentApprovals)
          .set({ note: ERASED })
          .where(and(inArray(manualPaymentApprovals.paymentId, paymentIds), ne(manualPaymentApprovals.note, ERASED)))
          .returning({ id: manualPaymentApprovals.id }),
  ]);
  return {
    bookings: bookingRows.length,
    payments: paymentRows.length,
    payment_events: events.length,
    proofs: proofs.length,
    approvals: approvals.length,
  };
}
