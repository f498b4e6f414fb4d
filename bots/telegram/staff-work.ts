// Linked staff answering customers from Telegram: /inquiry, /take, /reply, /notify, and replies to the hub's notices.
import { Composer } from "grammy";
import { NoChatError, replyToCustomer } from "../../hub/conversations";
import { HubError } from "../../hub/core/errors";
import { isUuid } from "../../hub/core/ids";
import { findInquiry, takeInquiry } from "../../hub/inquiries";
import { inquiryReference, type InquiryRecord } from "../../hub/pipeline";
import { setNewInquiryNotices, takesNewInquiryNotices, repliedNotice } from "../../hub/staff";
import type { BotContext, BotDeps } from "./context";

const EXPECTED_INQUIRY = "Expected an inquiry reference like INQ-12, or its id.";
const USAGE = {
  inquiry: "Usage: /inquiry INQ-12",
  take: "Usage: /take INQ-12",
  reply: "Usage: /reply INQ-12 your answer to the customer",
  notify: "Usage: /notify on or /notify off (new-inquiry notices; now {state})",
};

/** The inquiry a command names by its first word; a one-line answer when there is none, or none such. */
async function namedInquiry(
  deps: BotDeps,
  text: string,
): Promise<{ inquiry: InquiryRecord; rest: string } | { answer: string }> {
  const [word = ""] = text.trim().split(/\s+/);
  if (!word) return { answer: EXPECTED_INQUIRY };
  const looksRight = /^(INQ-)?\d{1,15}$/i.test(word) || isUuid(word);
  if (!looksRight) return { answer: `"${word}" is not an inquiry. ${EXPECTED_INQUIRY}` };
  const inquiry = await findInquiry(deps.db, word);
  if (!inquiry) return { answer: `No inquiry ${word}. ${EXPECTED_INQUIRY}` };
  // The rest keeps its line breaks: only the command and the reference are taken off.
  return { inquiry, rest: text.trim().slice(word.length).trim() };
}

export function staffWork(deps: BotDeps, card: (inquiry: InquiryRecord) => string): Composer<BotContext> {
  const work = new Composer<BotContext>();

  /** Sends the text to the inquiry's chat and says so; an inquiry without a chat says how to reach the client. */
  const answer = async (ctx: BotContext, inquiry: InquiryRecord, text: string) => {
    try {
      await replyToCustomer(deps, { inquiry, authorId: ctx.staff!.id, text });
      await ctx.reply(
        `Sending to ${inquiryReference(inquiry.number)} in the customer's ${inquiry.source === "telegram" ? "Telegram" : "WhatsApp"} chat.`,
      );
    } catch (error) {
      if (error instanceof NoChatError || (error instanceof HubError && error.kind === "invalid"))
        return void (await ctx.reply(error.message));
      throw error;
    }
  };

  work.command("inquiry", async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(USAGE.inquiry));
    const named = await namedInquiry(deps, ctx.match);
    await ctx.reply("answer" in named ? named.answer : card(named.inquiry));
  });

  work.command("take", async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(USAGE.take));
    const named = await namedInquiry(deps, ctx.match);
    if ("answer" in named) return void (await ctx.reply(named.answer));
    try {
      await takeInquiry(deps, named.inquiry.id, ctx.staff!.id);
      await ctx.reply(
        `${inquiryReference(named.inquiry.number)} is yours: the customer's next messages come to you. Reply to them to answer.`,
      );
    } catch (error) {
      if (!(error instanceof HubError) || error.kind !== "conflict") throw error;
      await ctx.reply(error.message);
    }
  });

  work.command("reply", async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(USAGE.reply));
    const named = await namedInquiry(deps, ctx.match);
    if ("answer" in named) return void (await ctx.reply(named.answer));
    if (!named.rest) return void (await ctx.reply(USAGE.reply));
    await answer(ctx, named.inquiry, named.rest);
  });

  work.command("notify", async (ctx) => {
    const choice = ctx.match.trim().toLowerCase();
    if (choice !== "on" && choice !== "off") {
      const on = await takesNewInquiryNotices(deps.db, ctx.staff!.id);
      return void (await ctx.reply(USAGE.notify.replace("{state}", on ? "on" : "off")));
    }
    const on = choice === "on";
    await setNewInquiryNotices(deps.db, ctx.staff!.id, on);
    await ctx.reply(
      on
        ? "New-inquiry notices are on."
        : "New-inquiry notices are off. Inquiries you take still come to you; /notify on to hear of every new one.",
    );
  });

  // A reply (Telegram's reply-to) to a notice or a relayed customer message answers that inquiry's customer.
  work.on("message:text", async (ctx, next) => {
    const repliedTo = ctx.message.reply_to_message;
    if (!repliedTo || ctx.message.text.startsWith("/")) return next();
    const notice = await repliedNotice(deps.db, String(ctx.chat.id), `${ctx.chat.id}:${repliedTo.message_id}`);
    // A notice about the staff member's own account (a relink) is about no inquiry: nothing to answer there.
    if (!notice?.inquiryId)
      return void (await ctx.reply(
        "That message is not one of the hub's notices. Answer with /reply INQ-12 your text.",
      ));
    const inquiry = await findInquiry(deps.db, notice.inquiryId);
    if (inquiry) await answer(ctx, inquiry, ctx.message.text);
  });

  return work;
}
