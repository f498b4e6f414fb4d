// The payments a person must act on: manual attempts waiting for a proof or a manager's approval, and the open tasks
// to pay money back by hand (a duplicate the provider would not refund, a transfer proved after the booking moved on)
// or to decide on a deposit refunded at the provider.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/client";
import { bookings, clients, type PaymentStatus, paymentProofs, payments, tasks, users } from "../db/schema";
import { bookingReference } from "../hub/core/references";
import type { ProofRow } from "./manual";
import { fourEyesRefusal } from "./manual/four-eyes";
import type { PaymentRow } from "./orchestrator/attempts";
import { MANUAL_REFUND_TASK } from "./orchestrator/refund";
import { PAYMENT_TASKS } from "./orchestrator/tasks";
import { proofColumns } from "./queries";

export const AWAITING_PERSON: readonly PaymentStatus[] = ["open", "awaiting_approval"];
const REFUND_TASK_TYPES = [
  PAYMENT_TASKS.refund.type,
  PAYMENT_TASKS.refunded.type,
  PAYMENT_TASKS.refund_failed.type,
  MANUAL_REFUND_TASK.type,
];

export interface ManualAwaiting {
  payment: PaymentRow;
  bookingId: string;
  bookingReference: string;
  inquiryId: string;
  clientName: string | null;
  /** Oldest first, without their files. */
  proofs: (ProofRow & { uploaderName: string | null })[];
}

export interface RefundTask {
  id: string;
  title: string;
  createdAt: Date;
  inquiryId: string | null;
  paymentId: string | null;
  reason: string | null;
}

export interface PaymentsNeedingPeople {
  /** Oldest first: the customer who has waited longest comes first. */
  manual: ManualAwaiting[];
  refundTasks: RefundTask[];
}

export async function paymentsNeedingPeople(db: Executor): Promise<PaymentsNeedingPeople> {
  const manual = await db
    .select({
      payment: payments,
      bookingId: bookings.id,
      number: bookings.number,
      inquiryId: bookings.inquiryId,
      clientName: clients.name,
    })
    .from(payments)
    .innerJoin(bookings, eq(bookings.id, payments.bookingId))
    .innerJoin(clients, eq(clients.id, bookings.clientId))
    .where(
      and(
        eq(payments.provider, "manual"),
        eq(payments.type, "deposit"),
        inArray(payments.status, [...AWAITING_PERSON]),
      ),
    )
    .orderBy(asc(payments.createdAt), asc(payments.id));
  const proofs =
    manual.length === 0
      ? []
      : await db
          .select({ ...proofColumns, uploaderName: users.name })
          .from(paymentProofs)
          .leftJoin(users, eq(users.id, paymentProofs.uploadedBy))
          .where(
            inArray(
              paymentProofs.paymentId,
              manual.map((m) => m.payment.id),
            ),
          )
          .orderBy(asc(paymentProofs.createdAt), asc(paymentProofs.id));
  const open = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.status, "open"), inArray(tasks.type, REFUND_TASK_TYPES)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id));
  return {
    manual: manual.map(({ number, ...m }) => ({
      ...m,
      bookingReference: bookingReference(number),
      proofs: proofs.filter((p) => p.paymentId === m.payment.id),
    })),
    refundTasks: open.map((t) => {
      const payload = t.payload as Record<string, unknown>;
      return {
        id: t.id,
        title: t.title,
        createdAt: t.createdAt,
        inquiryId: t.inquiryId,
        paymentId: typeof payload.payment_id === "string" ? payload.payment_id : null,
        reason: typeof payload.reason === "string" ? payload.reason : null,
      };
    }),
  };
}

/**
 * Why this manager may not approve the payment (they sent a proof of it, or it came from a Telegram account of
 * theirs), or undefined when they may: what the approval itself checks, asked before the button is offered.
 */
export const approvalRefusal = (db: Executor, paymentId: string, approverId: string) =>
  fourEyesRefusal(db, paymentId, approverId);
