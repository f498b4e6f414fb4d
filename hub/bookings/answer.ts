// A customer's answer from their own chat to a proposal or a reminder: a button (Telegram, WhatsApp Cloud) or a word
// (WhatsApp Web's YES, NO or CANCEL). Only the booking's own customer can answer; a double tap counts once.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { bookings, inquiries } from "../../db/schema";
import type { ChatSource } from "../conversations";
import { HubError } from "../core/errors";
import type { CancelDeps } from "./cancellation";
import { acceptBooking, declineBooking } from "./decisions";
import { bookingReference } from "./lifecycle";
import { BOOKING_ACTION } from "./propose";
import { REMINDER_ACTION, type ReminderChoice } from "./reminder-actions";
import { answerReminderButton, answerReminderWord } from "./reminder-answer";

export interface ChatAnswer {
  source: ChatSource;
  /** The chat the answer came from: the customer's own. */
  chatId: string;
  /** A button's callback data (`booking:accept:<id>`), or the text a customer wrote. */
  action?: string;
  text?: string;
}

export type AnswerOutcome =
  | { kind: "none" } // not an answer to a proposal: an ordinary message
  | { kind: "answered"; choice: "accept" | "decline"; reference: string; changed: boolean }
  /** A reminder's answer: "I'm coming", "Cancel" (asked once more), "Keep my booking", or the cancellation itself. */
  | { kind: "reminder"; did: "reconfirmed" | "asked" | "kept" | "cancelled"; reference: string; changed: boolean }
  /** `notYours`: somebody else's chat (a forwarded offer): the offer itself stays open. */
  | { kind: "refused"; reason: string; notYours?: boolean };

const WORDS: Record<string, "accept" | "decline"> = { yes: "accept", no: "decline" };

export async function answerFromChat(deps: CancelDeps, answer: ChatAnswer): Promise<AnswerOutcome> {
  const reminderButton = answer.action ? REMINDER_ACTION.exec(answer.action) : null;
  if (reminderButton)
    return answerReminderButton(deps, answer, reminderButton[1] as ReminderChoice, reminderButton[2]!);
  const button = answer.action ? BOOKING_ACTION.exec(answer.action) : null;
  const typed = answer.text
    ?.trim()
    .toLowerCase()
    .replace(/[.!]+$/, "");
  // CANCEL answers only a reminder; YES answers a proposal still open first, else the latest reminder.
  if (!button && typed === "cancel") return answerReminderWord(deps, answer, "cancel");
  const word = typed ? WORDS[typed] : undefined;
  if (!button && !word) return { kind: "none" };

  const columns = {
    id: bookings.id,
    number: bookings.number,
    source: inquiries.source,
    chatId: inquiries.externalChatId,
  };
  const [booking] = button
    ? await deps.db
        .select(columns)
        .from(bookings)
        .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId))
        .where(eq(bookings.id, button[2]!))
    : // A bare YES or NO answers the chat's latest proposal still open.
      await deps.db
        .select(columns)
        .from(bookings)
        .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId))
        .where(
          and(
            eq(inquiries.source, answer.source),
            eq(inquiries.externalChatId, answer.chatId),
            eq(bookings.status, "held"),
            isNotNull(bookings.proposedAt),
          ),
        )
        .orderBy(desc(bookings.proposedAt))
        .limit(1);
  if (!booking) {
    if (button) return { kind: "refused", reason: "This offer is no longer open." };
    return word === "accept" ? answerReminderWord(deps, answer, "yes") : { kind: "none" };
  }
  if (booking.source !== answer.source || booking.chatId !== answer.chatId)
    return { kind: "refused", reason: "This offer is not for you.", notYours: true };

  const choice = button ? (button[1] as "accept" | "decline") : word!;
  try {
    const decision =
      choice === "accept"
        ? await acceptBooking(deps, booking.id, { kind: "customer" })
        : await declineBooking(deps, booking.id, { kind: "customer" });
    return { kind: "answered", choice, reference: bookingReference(booking.number), changed: decision.changed };
  } catch (error) {
    if (error instanceof HubError && error.kind === "conflict") return { kind: "refused", reason: error.message };
    throw error;
  }
}
