// A customer's answer to a reminder from their own chat: "I'm coming" (reconfirmed_at), or "Cancel", which asks once
// more with what the policy does to the deposit and cancels on "Yes, cancel". Buttons on Telegram and WhatsApp Cloud;
// on WhatsApp Web a typed YES or CANCEL answers the chat's latest reminder.
import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookingReminders, bookings, inquiries, resources } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { tellCustomer } from "../conversations";
import { inTransaction } from "../core/context";
import { HubError } from "../core/errors";
import { formatLondonForPeople } from "../core/time";
import type { AnswerOutcome, ChatAnswer } from "./answer";
import { type CancelDeps, type CancellationPolicy, cancelUnderPolicy, paidDeposit, policyRefund } from "./cancellation";
import { type BookingRow, bookingReference, lockBooking } from "./lifecycle";
import { formatMoney } from "./money";
import { cancelQuestionActions, type ReminderChoice } from "./reminder-actions";

/** A button's choice, or a word typed where there are none: YES (coming, or keep it) and CANCEL (ask, or cancel). */
export type ReminderAnswer = { button: ReminderChoice } | { word: "yes" | "cancel" };

/**
 * How long the question "Cancel" asks stands. A bare CANCEL a day later, like a "Yes, cancel" tapped then, asks again
 * rather than cancel: the customer may have forgotten the first, and what the policy does to the deposit may differ.
 */
export const CANCEL_QUESTION_MS = 24 * 3600_000;

/**
 * Whether the question asked at cancel_asked_at still stands at `now`: asked less than CANCEL_QUESTION_MS ago, before
 * the start, and the deposit's fate under the policy unchanged since (a question asked 49 h before with a full
 * refund lapses at 48 h, when the deposit would be kept).
 */
export function questionStands(
  booking: Pick<BookingRow, "cancelAskedAt" | "startsAt">,
  now: Date,
  policy: CancellationPolicy,
  paid: number,
): boolean {
  const asked = booking.cancelAskedAt;
  if (!asked || now.getTime() - asked.getTime() >= CANCEL_QUESTION_MS) return false;
  if (now.getTime() >= booking.startsAt.getTime()) return false;
  return paid === 0 || policyRefund(booking, asked, policy) === policyRefund(booking, now, policy);
}

type Move = "coming" | "keep" | "ask" | "asked_already" | "cancel";

function moveFor(answer: ReminderAnswer, stands: boolean): Move {
  if ("word" in answer) return answer.word === "yes" ? (stands ? "keep" : "coming") : stands ? "cancel" : "ask";
  switch (answer.button) {
    case "coming":
    case "keep":
      return answer.button;
    case "cancel":
      return stands ? "asked_already" : "ask";
    case "cancel_yes":
      return stands ? "cancel" : "ask";
  }
}

/** A tap on a reminder's button: only from the booking's own chat (a forwarded button is refused). */
export async function answerReminderButton(
  deps: CancelDeps,
  answer: ChatAnswer,
  choice: ReminderChoice,
  bookingId: string,
): Promise<AnswerOutcome> {
  const [booking] = await deps.db
    .select({ id: bookings.id, source: inquiries.source, chatId: inquiries.externalChatId })
    .from(bookings)
    .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId))
    .where(eq(bookings.id, bookingId));
  if (!booking) return { kind: "refused", reason: "This booking is no longer open." };
  if (booking.source !== answer.source || booking.chatId !== answer.chatId)
    return { kind: "refused", reason: "This booking is not yours.", notYours: true };
  return respond(deps, booking.id, { button: choice });
}

/** A bare YES or CANCEL: the latest reminder sent to this chat, of a booking still confirmed and not begun. */
export async function answerReminderWord(
  deps: CancelDeps,
  answer: ChatAnswer,
  word: "yes" | "cancel",
): Promise<AnswerOutcome> {
  const [latest] = await deps.db
    .select({ id: bookings.id })
    .from(bookingReminders)
    .innerJoin(bookings, eq(bookings.id, bookingReminders.bookingId))
    .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId))
    .where(
      and(
        eq(bookingReminders.outcome, "sent"),
        eq(inquiries.source, answer.source),
        eq(inquiries.externalChatId, answer.chatId),
        eq(bookings.status, "confirmed"),
        gt(bookings.startsAt, deps.now()),
      ),
    )
    .orderBy(desc(bookingReminders.createdAt))
    .limit(1);
  if (!latest) return { kind: "none" };
  return respond(deps, latest.id, { word });
}

/** What the locked look decided: answered, refused, or a cancellation, made after it by cancelUnderPolicy. */
type Step = { outcome: AnswerOutcome } | { refused: string } | { cancel: string; askedAt?: Date };

async function respond(deps: CancelDeps, bookingId: string, answer: ReminderAnswer): Promise<AnswerOutcome> {
  const step = await inTransaction(deps, async (tx): Promise<Step> => {
    const booking = await lockBooking(tx, bookingId);
    const reference = bookingReference(booking.number);
    const now = deps.now();
    if (booking.status !== "confirmed") {
      // A second "Yes, cancel" is cancelUnderPolicy's to answer: the customer's own cancellation counts once.
      if ("button" in answer && answer.button === "cancel_yes" && booking.status === "cancelled")
        return { cancel: reference };
      return { refused: `${reference} is ${booking.status.replace("_", " ")}; it can no longer be changed here.` };
    }
    if (booking.startsAt.getTime() <= now.getTime())
      return { refused: `${reference} has begun already; write to us if something has changed.` };
    const paid = await paidDeposit(tx, booking.id);
    const move = moveFor(answer, questionStands(booking, now, deps.policy, paid));
    switch (move) {
      case "cancel":
        return { cancel: reference, askedAt: booking.cancelAskedAt ?? undefined };
      case "asked_already":
        return { outcome: reminderOutcome("asked", reference, false) };
      case "ask":
        await askToConfirm(tx, booking, now, paid, deps.policy);
        return { outcome: reminderOutcome("asked", reference, true) };
      case "coming":
      case "keep":
        return { outcome: await reconfirm(tx, booking, now, move) };
    }
  });
  if ("outcome" in step) return step.outcome;
  if ("refused" in step) return { kind: "refused", reason: step.refused };
  try {
    const cancellation = await cancelUnderPolicy(deps, bookingId, { by: { kind: "customer" }, askedAt: step.askedAt });
    return reminderOutcome("cancelled", step.cancel, cancellation.changed);
  } catch (error) {
    if (error instanceof HubError && error.kind === "conflict") return { kind: "refused", reason: error.message };
    throw error;
  }
}

const reminderOutcome = (
  did: "reconfirmed" | "asked" | "kept" | "cancelled",
  reference: string,
  changed: boolean,
): AnswerOutcome => ({ kind: "reminder", did, reference, changed });

/** "Cancel": asked once more, saying what the policy does to a paid deposit; the next "Yes, cancel" cancels. */
async function askToConfirm(
  tx: Executor,
  booking: BookingRow,
  now: Date,
  paid: number,
  policy: CancellationPolicy,
): Promise<void> {
  await tx.update(bookings).set({ cancelAskedAt: now, updatedAt: sql`now()` }).where(eq(bookings.id, booking.id));
  const deposit = depositFate(booking, paid, policyRefund(booking, now, policy), policy);
  await recordAudit(tx, {
    actorId: null,
    actorKind: "customer",
    action: "booking.cancel_asked",
    entityType: "booking",
    entityId: booking.id,
    after: { reason: "the customer asked to cancel and was asked to confirm" },
  });
  await tellCustomer(tx, booking.inquiryId, async () => ({
    template: "booking.cancel_confirm",
    values: { ...(await bookingValues(tx, booking)), deposit },
    actions: cancelQuestionActions(booking.id),
  }));
}

/** "I'm coming", or "Keep my booking" after "Cancel": reconfirmed_at kept from the first answer, the question gone. */
async function reconfirm(
  tx: Executor,
  booking: BookingRow,
  now: Date,
  move: "coming" | "keep",
): Promise<AnswerOutcome> {
  const reference = bookingReference(booking.number);
  const did = move === "keep" ? "kept" : "reconfirmed";
  if (booking.reconfirmedAt && !booking.cancelAskedAt) return reminderOutcome(did, reference, false);
  await tx
    .update(bookings)
    .set({ reconfirmedAt: booking.reconfirmedAt ?? now, cancelAskedAt: null, updatedAt: sql`now()` })
    .where(eq(bookings.id, booking.id));
  await recordAudit(tx, {
    actorId: null,
    actorKind: "customer",
    action: booking.cancelAskedAt ? "booking.kept" : "booking.reconfirmed",
    entityType: "booking",
    entityId: booking.id,
    after: {
      reason: booking.cancelAskedAt
        ? "the customer chose to keep the booking after all"
        : "the customer answered the reminder: they are coming",
    },
  });
  await tellCustomer(tx, booking.inquiryId, async () => ({
    template: move === "keep" ? "booking.kept" : "booking.reconfirmed",
    values: await bookingValues(tx, booking),
  }));
  return reminderOutcome(did, reference, true);
}

async function bookingValues(tx: Executor, booking: BookingRow) {
  const [resource] = await tx
    .select({ name: resources.name })
    .from(resources)
    .where(eq(resources.id, booking.resourceId));
  return {
    reference: bookingReference(booking.number),
    resource: resource?.name ?? "",
    when: formatLondonForPeople(booking.startsAt),
  };
}

/** What a cancellation now would do to the deposit, as the question says it. */
function depositFate(booking: BookingRow, paid: number, refund: "full" | "none", policy: CancellationPolicy): string {
  if (paid === 0) return "There is no deposit to refund.";
  const money = formatMoney(paid, booking.currency);
  return refund === "full"
    ? `If you cancel now, your deposit of ${money} will be refunded in full.`
    : `If you cancel now, the deposit of ${money} is kept: our cancellation policy refunds it only up to ${policy.fullRefundHours} hours before the booking.`;
}
