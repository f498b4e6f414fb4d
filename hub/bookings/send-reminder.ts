// A reminder in the customer's own chat, some hours before a confirmed booking: what, when (London time), where, for
// how many, with "I'm coming" and "Cancel". A lead without a chat gets none, and its timeline says so.
import { eq, sql } from "drizzle-orm";
import { bookingReminders, bookings, inquiries, resources } from "../../db/schema";
import { isChatSource, queueMessage } from "../conversations";
import { inTransaction } from "../core/context";
import type { DecisionDeps } from "./decisions";
import { bookingReference } from "./lifecycle";
import { proposalValues } from "./propose";
import { reminderActions } from "./reminder-actions";

export interface ReminderSettings {
  /** BOOKING_REMINDER_HOURS in whole minutes, the earliest reminder first (reminderOffsets). */
  minutesBefore: number[];
  /** BUSINESS_ADDRESS: where the customer comes. */
  address?: string;
}

export type ReminderResult = "sent" | "no_chat" | "done_already" | "not_confirmed" | "too_late" | "confirmed_after";

/** A timer may fire this much before its time (another host's clock); earlier than that, it is tried again. */
const EARLY_TOLERANCE_MS = 1000;

/**
 * Sends the booking's reminder `minutesBefore` its start, once: the booking_reminders row is written in the same
 * transaction as the message, and a second run (a timer fired twice, or armed again) finds it and sends nothing.
 * Never after the start, nor for a booking no longer confirmed.
 */
export async function sendReminder(
  deps: DecisionDeps,
  bookingId: string,
  minutesBefore: number,
  settings: Pick<ReminderSettings, "address">,
): Promise<ReminderResult> {
  return inTransaction(deps, async (tx) => {
    const [booking] = await tx.select().from(bookings).where(eq(bookings.id, bookingId)).for("update");
    if (booking?.status !== "confirmed") return "not_confirmed";
    const now = deps.now();
    if (booking.startsAt.getTime() <= now.getTime()) return "too_late";
    const due = booking.startsAt.getTime() - minutesBefore * 60_000;
    if (due > now.getTime() + EARLY_TOLERANCE_MS)
      throw new Error(`the ${minutesBefore}-minute reminder of ${bookingReference(booking.number)} fired early`);
    // Its time had passed when the booking was confirmed: the customer has only just booked (wantsReminder).
    if (booking.confirmedAt && booking.confirmedAt.getTime() > due) return "confirmed_after";

    const [[inquiry], [resource]] = await Promise.all([
      tx
        .select({ id: inquiries.id, source: inquiries.source, chatId: inquiries.externalChatId })
        .from(inquiries)
        .where(eq(inquiries.id, booking.inquiryId)),
      tx.select({ name: resources.name }).from(resources).where(eq(resources.id, booking.resourceId)),
    ]);
    const chat = inquiry && isChatSource(inquiry.source) && inquiry.chatId ? inquiry.chatId : null;
    const [recorded] = await tx
      .insert(bookingReminders)
      .values({ bookingId, minutesBefore, outcome: chat ? "sent" : "no_chat" })
      .onConflictDoNothing()
      .returning({ outcome: bookingReminders.outcome });
    if (!recorded) return "done_already";
    if (!chat) return "no_chat";

    // A question "Cancel" asked under an earlier reminder lapses: this reminder's own Cancel asks afresh.
    if (booking.cancelAskedAt)
      await tx.update(bookings).set({ cancelAskedAt: null, updatedAt: sql`now()` }).where(eq(bookings.id, bookingId));
    const values = proposalValues(booking, resource?.name ?? "");
    await queueMessage(tx, {
      inquiryId: inquiry!.id,
      source: inquiry!.source,
      chatId: chat,
      template: "booking.reminder",
      values: {
        reference: values.reference!,
        resource: values.resource!,
        when: values.when!,
        party: values.party!,
        where: settings.address ? `Where: ${settings.address}\n` : "",
      },
      actions: reminderActions(bookingId),
    });
    return "sent";
  });
}
