// The buttons of a reminder and of the question that follows a "Cancel", and the words that stand for them where there
// are no buttons (WhatsApp Web): what Telegram and WhatsApp Cloud hand back when one is tapped.
import type { MessageAction } from "../../db/schema";
import { UUID_PATTERN } from "../core/ids";

/** `coming` and `cancel` under the reminder; `cancel_yes` and `keep` under the question "Cancel" asks. */
export const REMINDER_CHOICES = ["coming", "cancel", "cancel_yes", "keep"] as const;
export type ReminderChoice = (typeof REMINDER_CHOICES)[number];

/** Callback data, `booking:<choice>:<booking id>`: at most 59 bytes (Telegram allows 64). */
export const reminderAction = (choice: ReminderChoice, bookingId: string) => `booking:${choice}:${bookingId}`;
export const REMINDER_ACTION = new RegExp(`^booking:(${REMINDER_CHOICES.join("|")}):(${UUID_PATTERN})$`);

export const reminderActions = (bookingId: string): MessageAction[] => [
  { id: reminderAction("coming", bookingId), title: "I'm coming", word: "YES", reply: "YES if you are coming" },
  { id: reminderAction("cancel", bookingId), title: "Cancel", word: "CANCEL", reply: "CANCEL to cancel" },
];

export const cancelQuestionActions = (bookingId: string): MessageAction[] => [
  {
    id: reminderAction("cancel_yes", bookingId),
    title: "Yes, cancel",
    word: "CANCEL",
    reply: "CANCEL again to cancel",
  },
  { id: reminderAction("keep", bookingId), title: "Keep my booking", word: "YES", reply: "YES to keep it" },
];
