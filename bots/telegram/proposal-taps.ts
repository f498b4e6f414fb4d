// A customer's tap on a booking proposal's Accept or Decline: answered in the hub, then a toast and the buttons gone.
import type { CallbackQueryContext } from "grammy";
import { answerFromChat } from "../../hub/bookings";
import type { BotContext, BotDeps } from "./context";

export async function answerProposalTap(deps: BotDeps, ctx: CallbackQueryContext<BotContext>): Promise<void> {
  const outcome = await answerFromChat(deps, {
    source: "telegram",
    chatId: String(ctx.from.id),
    action: ctx.callbackQuery.data,
  });
  const text =
    outcome.kind === "answered"
      ? !outcome.changed
        ? `${outcome.reference}: your answer was recorded already.`
        : outcome.choice === "accept"
          ? `${outcome.reference} accepted. Thank you!`
          : `${outcome.reference} declined.`
      : outcome.kind === "refused"
        ? outcome.reason
        : "";
  await ctx.answerCallbackQuery({ text });
  // Only the customer's own answer closes the offer: a stranger's tap (a forwarded message) leaves the buttons be.
  if (outcome.kind === "answered" || (outcome.kind === "refused" && !outcome.notYours)) {
    await ctx
      .editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } })
      .catch((error: unknown) => deps.logger.debug({ err: error }, "could not remove the buttons"));
  }
}
