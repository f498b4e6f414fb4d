// The guided questions after a first message: when, how many, which service; each answer saved on the inquiry.
import type { Conversation } from "@grammyjs/conversations";
import type { Context } from "grammy";
import {
  recordSentMessage,
  isSkip,
  type Answer,
  PARSERS,
  QUESTION_TEMPLATES,
  saveAnswer,
  type Question,
} from "../../hub/conversations";
import { type TemplateKey, renderTemplate } from "../../hub/templates";
import type { BotContext, BotDeps } from "./context";

export const DETAILS_CONVERSATION = "details";

export interface DetailsTarget {
  inquiryId: string;
  reference: string;
  /** The questions the first message left open, in order; the first of them was asked in the acknowledgement. */
  missing?: Question[];
}

/** A question left unanswered this long is dropped, so a customer's much later message is not taken as its answer. */
const ANSWER_WITHIN_MS = 24 * 3600_000;

/**
 * The conversation function. The conversations plugin replays it from the start on every update, with its state
 * in bot_sessions: every side effect (database, clock) goes through `conversation.external`, so it runs once.
 */
export function detailsConversation(deps: BotDeps) {
  return async function details(conversation: Conversation<BotContext, Context>, ctx: Context, target: DetailsTarget) {
    const chatId = String(ctx.chat!.id);

    const say = async (text: string, template?: TemplateKey) => {
      const sent = await ctx.reply(text);
      await conversation.external(() =>
        recordSentMessage(deps.db, {
          inquiryId: target.inquiryId,
          source: "telegram",
          chatId,
          body: text,
          template,
          externalMessageId: `${sent.chat.id}:${sent.message_id}`,
          raw: sent,
        }),
      );
    };
    const sayTemplate = async (template: TemplateKey, values: Record<string, string> = {}) =>
      say(await conversation.external(() => renderTemplate(deps.db, template, values)), template);

    /**
     * `question` undefined: it was asked already (the first one rides in the acknowledgement, telegram.acknowledged).
     */
    const ask = async <T>(
      question: TemplateKey | undefined,
      parse: (text: string, now: Date) => Answer<T>,
    ): Promise<T | undefined> => {
      if (question) await sayTemplate(question);
      for (;;) {
        // Anything but text (a photo, a shared contact) is left to the handlers after the conversation.
        const answer = await conversation.waitFor("message:text", { next: true, maxMilliseconds: ANSWER_WITHIN_MS });
        if (isSkip(answer.message.text)) return undefined;
        const now = new Date(await conversation.external(() => deps.now().getTime()));
        const parsed = parse(answer.message.text, now);
        if (parsed.ok) return parsed.value;
        await say(parsed.problem);
      }
    };
    // State saved before `missing` existed asked all three, the first in the acknowledgement.
    const missing = target.missing ?? (["when", "party_size", "service"] as Question[]);
    const noted: string[] = [];
    for (const [i, question] of missing.entries()) {
      // The first open question rode in the acknowledgement; the others are asked here.
      const value = await ask(
        i === 0 ? undefined : QUESTION_TEMPLATES[question as Exclude<Question, "when">],
        PARSERS[question] as (text: string, now: Date) => Answer<Date | number | string>,
      );
      if (value !== undefined)
        noted.push(await conversation.external(() => saveAnswer(deps.db, target.inquiryId, question, value)));
    }
    if (noted.length > 0)
      await sayTemplate("inquiry.details_saved", { details: noted.join(", "), reference: target.reference });
  };
}
