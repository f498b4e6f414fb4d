// A customer's tap under a booking reminder ("I'm coming", "Cancel") or under the question "Cancel" asks ("Yes,
// cancel", "Keep my booking"): answered in the hub, then a toast; a question answered loses its buttons.
import type { CallbackQueryContext } from "grammy";
import { type AnswerOutcome, answerFromChat } from "../../hub/bookings";
import type { BotContext, BotDeps } from "./context";

function toast(outcome: AnswerOutcome): string {
  if (outcome.kind === "refused") return outcome.reason;
  if (outcome.kind !== "reminder") return "";
  const { reference, changed } = outcome;
  switch (outcome.did) {
    case "reconfirmed":
      return changed ? `Thank you: ${reference}, see you then!` : `${reference}: we have your answer already.`;
    case "asked":
      return "Please confirm in the message below.";
    case "kept":
      return changed ? `${reference} stays booked.` : `${reference}: we have your answer already.`;
    case "cancelled":
      return changed ? `${reference} is cancelled.` : `${reference} was cancelled already.`;
  }
}

export async function answerReminderTap(deps: BotDeps, ctx: CallbackQueryContext<BotContext>): Promise<void> {
  const outcome = await answerFromChat(deps, {
    source: "telegram",
    chatId: String(ctx.from.id),
    action: ctx.callbackQuery.data,
  });
  await ctx.answerCallbackQuery({ text: toast(outcome) });
  // The reminder keeps its buttons after "I'm coming" (plans change) and after "Cancel" (the customer may still say
  // they are coming); the question is done once answered. A stranger's tap (a forwarded message) leaves them be.
  const done =
    (outcome.kind === "reminder" && (outcome.did === "kept" || outcome.did === "cancelled")) ||
    (outcome.kind === "refused" && !outcome.notYours);
  if (done) {
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch((error: unknown) => deps.logger.debug({ err: error }, "could not remove the buttons"));
  }
}
