// What staff and customers read about payments: a booking's attempts, the operators' list, one attempt with its proofs
// and approval, a proof's file, and what the customer's one payment link shows.
import { and, desc, eq, getTableColumns, ne, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../db/client";
import {
  bookings,
  LIVE_PAYMENT_STATUSES,
  manualPaymentApprovals,
  type PaymentProvider,
  type PaymentStatus,
  paymentProofs,
  payments,
} from "../db/schema";
import { findBooking, type BookingRow, LINK_TOKEN } from "../hub/bookings";
import { HubError } from "../hub/core/errors";
import { bookingReference } from "../hub/core/references";
import { type Page, type PageRequest, paginate } from "../hub/core/pagination";
import type { ProofRow } from "./manual";
import type { PaymentRow } from "./orchestrator/attempts";

// The API's filters take these; re-exported so a route needs no import from the schema.
export { PAYMENT_PROVIDERS, PAYMENT_STATUSES } from "../db/schema";

/** An attempt with its booking's pay token, from which the customer's link is made. */
export interface PaymentWithToken {
  payment: PaymentRow;
  payToken: string | null;
}

export interface PaymentDetail extends PaymentWithToken {
  proofs: ProofRow[];
  approval: typeof manualPaymentApprovals.$inferSelect | null;
}

export type ProofFile = typeof paymentProofs.$inferSelect;

/** A booking (by id or reference) and its attempts in order, each refund after the attempt it pays back. */
export async function bookingPayments(
  db: Executor,
  idOrReference: string,
): Promise<{ booking: BookingRow; payments: PaymentRow[] }> {
  const booking = await findBooking(db, idOrReference);
  const rows = await db
    .select()
    .from(payments)
    .where(eq(payments.bookingId, booking.id))
    .orderBy(payments.attemptNumber, sql`${payments.type} = 'refund'`, payments.createdAt);
  return { booking, payments: rows };
}

export interface PaymentFilter {
  status?: PaymentStatus | undefined;
  provider?: PaymentProvider | undefined;
}

/** Attempts, newest first; refunds are not attempts to pay and stay out of the list. */
export function listPayments(db: Executor, filter: PaymentFilter, page: PageRequest): Promise<Page<PaymentWithToken>> {
  return paginate(
    page,
    {
      at: payments.createdAt,
      id: payments.id,
      of: (row: PaymentWithToken) => ({ at: row.payment.createdAt, id: row.payment.id }),
    },
    ({ after, orderBy, limit }) => {
      const filters: (SQL | undefined)[] = [
        ne(payments.type, "refund"),
        filter.status ? eq(payments.status, filter.status) : undefined,
        filter.provider ? eq(payments.provider, filter.provider) : undefined,
        after,
      ];
      return db
        .select({ payment: payments, payToken: bookings.payToken })
        .from(payments)
        .innerJoin(bookings, eq(bookings.id, payments.bookingId))
        .where(and(...filters))
        .orderBy(...orderBy)
        .limit(limit);
    },
  );
}

const { content: _content, ...proofColumns } = getTableColumns(paymentProofs);
/** A proof's columns but its file: what lists read. */
export { proofColumns };

/** One attempt with its proofs (without their files), oldest first, and its approval if a manager gave one. */
export async function paymentDetail(db: Executor, id: string): Promise<PaymentDetail> {
  const [row] = await db
    .select({ payment: payments, payToken: bookings.payToken })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .where(eq(payments.id, id));
  if (!row) throw new HubError("not_found", `No payment has id "${id}".`);
  const proofs = await db
    .select(proofColumns)
    .from(paymentProofs)
    .where(eq(paymentProofs.paymentId, id))
    .orderBy(paymentProofs.createdAt);
  const [approval] = await db.select().from(manualPaymentApprovals).where(eq(manualPaymentApprovals.paymentId, id));
  return { ...row, proofs, approval: approval ?? null };
}

/** A proof with its file, as uploaded. */
export async function proofFile(db: Executor, paymentId: string, proofId: string): Promise<ProofFile> {
  const [proof] = await db
    .select()
    .from(paymentProofs)
    .where(and(eq(paymentProofs.id, proofId), eq(paymentProofs.paymentId, paymentId)));
  if (!proof) throw new HubError("not_found", `Payment ${paymentId} has no proof ${proofId}.`);
  // An erasure empties the file and keeps the record (who sent it, when, how large): the file is gone for good.
  if (proof.content.length === 0)
    throw new HubError(
      "gone",
      `The file of proof ${proofId} was erased with its client's personal data; its record stays.`,
    );
  return proof;
}

/**
 * What the customer's payment link shows. A link sent before a failover lands on whatever attempt is live now:
 * - unknown: no booking has that token;
 * - paid: an attempt is paid (or paid and refunded), or the booking is confirmed or completed;
 * - closed: the booking is past taking a deposit (cancelled, expired...);
 * - unavailable: no attempt is live (the round failed);
 * - manual: the bank-transfer instructions of a live manual attempt, and the files the customer sent for it;
 * - checkout: an online attempt's checkout page, ready;
 * - preparing: an online attempt whose checkout page is not ready yet.
 */
/** A file the customer sent from their payment page: what the page may show them of it (never staff's proofs). */
export interface CustomerProofSent {
  fileName: string;
  createdAt: Date;
}

export type PayPageState =
  | { kind: "unknown" }
  | { kind: "paid"; booking: BookingRow }
  | { kind: "closed"; booking: BookingRow }
  | { kind: "unavailable"; booking: BookingRow }
  | { kind: "manual"; booking: BookingRow; attempt: PaymentRow; customerProofs: CustomerProofSent[] }
  | { kind: "preparing"; booking: BookingRow; attempt: PaymentRow }
  | { kind: "checkout"; booking: BookingRow; attempt: PaymentRow; checkoutUrl: string };

export async function payPageState(db: Executor, token: string): Promise<PayPageState> {
  const [booking] = LINK_TOKEN.test(token) ? await db.select().from(bookings).where(eq(bookings.payToken, token)) : [];
  if (!booking) return { kind: "unknown" };
  const attempts = await db
    .select()
    .from(payments)
    .where(and(eq(payments.bookingId, booking.id), ne(payments.type, "refund")))
    .orderBy(desc(payments.attemptNumber));
  const paid = attempts.find((a) => a.status === "paid" || a.status === "refunded");
  if (paid || booking.status === "confirmed" || booking.status === "completed") return { kind: "paid", booking };
  if (booking.status !== "awaiting_deposit") return { kind: "closed", booking };
  const attempt = attempts.find((a) => (LIVE_PAYMENT_STATUSES as readonly PaymentStatus[]).includes(a.status));
  if (!attempt) return { kind: "unavailable", booking };
  if (attempt.provider === "manual") {
    const customerProofs = await db
      .select({ fileName: paymentProofs.fileName, createdAt: paymentProofs.createdAt })
      .from(paymentProofs)
      .where(and(eq(paymentProofs.paymentId, attempt.id), eq(paymentProofs.via, "customer")))
      .orderBy(paymentProofs.createdAt, paymentProofs.id);
    return { kind: "manual", booking, attempt, customerProofs };
  }
  if (attempt.status === "open" && attempt.checkoutUrl)
    return { kind: "checkout", booking, attempt, checkoutUrl: attempt.checkoutUrl };
  return { kind: "preparing", booking, attempt };
}

/** The reference of the booking a payment is for ("BKG-12"), or undefined for no such payment. */
export async function bookingReferenceOfPayment(db: Executor, paymentId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ number: bookings.number })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .where(eq(payments.id, paymentId));
  return row ? bookingReference(row.number) : undefined;
}
