// The customer side of the bot: a greeting, every message into the hub's conversation, then the guided questions.
import { createConversation } from "@grammyjs/conversations";
import { Composer, Keyboard, type Context } from "grammy";
import { recordSharedPhone, receiveMessage, missingQuestions } from "../../hub/conversations";
import { inquiryReference } from "../../hub/pipeline";
import { renderTemplate } from "../../hub/templates";
import type { BotContext, BotDeps } from "./context";
import { DETAILS_CONVERSATION, detailsConversation, type DetailsTarget } from "./details-conversation";
import { ownSharedPhone, toInboundMessage } from "./inbound";

const shareContact = new Keyboard().requestContact("Share my phone number").resized().oneTime();

export function customerFlow(deps: BotDeps): Composer<BotContext> {
  const flow = new Composer<BotContext>();

  // Opening the bot sends /start: a greeting, not a lead. /help says the same to anyone who is not staff.
  flow.command(["start", "help"], async (ctx) => {
    await ctx.conversation.exitAll();
    await ctx.reply(await renderTemplate(deps.db, "telegram.welcome", {}), { reply_markup: shareContact });
  });

  // Every message goes into the hub first; a redelivered one stops here, so nothing after it runs twice.
  flow.on("message", async (ctx, next) => {
    const received = await receiveMessage(deps, toInboundMessage(ctx.update, ctx.message));
    if (received.kind === "duplicate") return;
    ctx.received = received;
    const phone = ownSharedPhone(ctx.message);
    if (phone) {
      await recordSharedPhone(deps.db, received.inquiry.id, phone);
      await ctx.reply(await renderTemplate(deps.db, "telegram.contact_saved", { phone }), {
        reply_markup: { remove_keyboard: true },
      });
    }
    // A new inquiry starts its own questions; ones left over from the chat's previous inquiry are dropped.
    if (received.kind === "opened" && ctx.conversation.active(DETAILS_CONVERSATION) > 0)
      await ctx.conversation.exit(DETAILS_CONVERSATION);
    await next();
  });

  flow.use(createConversation<BotContext, Context>(detailsConversation(deps), DETAILS_CONVERSATION));

  flow.on("message", async (ctx) => {
    if (ctx.received?.kind !== "opened") return;
    const { inquiry } = ctx.received;
    const target: DetailsTarget = {
      inquiryId: inquiry.id,
      reference: inquiryReference(inquiry.number),
      // What the first message already said (the acknowledgement asked the first question still open).
      missing: missingQuestions(inquiry),
    };
    await ctx.conversation.enter(DETAILS_CONVERSATION, target);
  });

  return flow;
}
