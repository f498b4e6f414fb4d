// The guided questions for a chat whose replies go through the outbox (WhatsApp): the same questions, parsers and
// texts as Telegram's conversation (guided-questions.ts), with the chat's place in them kept in bot_sessions.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { botSessions } from "../../db/schema";
import { inTransaction, type HubContext } from "../core/context";
import { isSkip } from "./answers";
import { withChatLease } from "./chat-lease";
import { PARSERS, QUESTION_TEMPLATES, saveAnswer, type Question } from "./guided-questions";
import type { ChatSource } from "./inbound";
import { queueAutomatedText, queueMessage } from "./outbound";

/** A question left unanswered this long is dropped, so a much later message is not taken as its answer. */
const ANSWER_WITHIN_MS = 24 * 3600_000;

interface GuidedState {
  inquiryId: string;
  reference: string;
  /** The open questions; the first is the one asked now. */
  missing: Question[];
  noted: string[];
  askedAt: string;
}

const keyOf = (source: ChatSource, chatId: string) => `guided:${source}:${chatId}`;

/** Starts the questions for a new inquiry; the first was asked in its acknowledgement, in the same transaction. */
export async function startGuidedQuestions(
  tx: Executor,
  chat: { source: ChatSource; chatId: string },
  state: { inquiryId: string; reference: string; missing: Question[]; now: Date },
): Promise<void> {
  const key = keyOf(chat.source, chat.chatId);
  if (state.missing.length === 0) return void (await tx.delete(botSessions).where(eq(botSessions.key, key)));
  const value: GuidedState = {
    inquiryId: state.inquiryId,
    reference: state.reference,
    missing: state.missing,
    noted: [],
    askedAt: state.now.toISOString(),
  };
  // A new inquiry in the chat replaces the previous one's questions.
  await tx.insert(botSessions).values({ key, value }).onConflictDoUpdate({ target: botSessions.key, set: { value } });
}

/**
 * Takes a customer's text as the answer to the chat's open question, if there is one for this inquiry: saves it and
 * asks the next, or says what is wrong with it. True when the text was taken as an answer. One chat at a time.
 */
export async function answerGuidedQuestion(
  deps: Pick<HubContext, "db" | "now" | "wake">,
  message: { source: ChatSource; chatId: string; inquiryId: string; text: string },
): Promise<boolean> {
  const key = keyOf(message.source, message.chatId);
  return withChatLease(deps.db, key, async () => {
    const [row] = await deps.db.select().from(botSessions).where(eq(botSessions.key, key));
    const state = row?.value as GuidedState | undefined;
    if (!state || state.inquiryId !== message.inquiryId) return false;
    const now = deps.now();
    if (now.getTime() - new Date(state.askedAt).getTime() > ANSWER_WITHIN_MS) {
      await deps.db.delete(botSessions).where(eq(botSessions.key, key));
      return false;
    }
    const question = state.missing[0]!;
    const address = { inquiryId: state.inquiryId, source: message.source, chatId: message.chatId };
    if (!isSkip(message.text)) {
      const parsed = PARSERS[question](message.text, now);
      if (!parsed.ok) {
        await inTransaction(deps, (tx) => queueAutomatedText(tx, { ...address, body: parsed.problem }));
        return true;
      }
      state.noted.push(await saveAnswer(deps.db, state.inquiryId, question, parsed.value));
    }
    const [next, ...after] = state.missing.slice(1);
    await inTransaction(deps, async (tx) => {
      if (next) {
        await queueMessage(tx, {
          ...address,
          template: QUESTION_TEMPLATES[next as Exclude<Question, "when">],
          values: {},
        });
        await tx
          .update(botSessions)
          .set({ value: { ...state, missing: [next, ...after], askedAt: now.toISOString() } })
          .where(eq(botSessions.key, key));
        return;
      }
      if (state.noted.length > 0) {
        await queueMessage(tx, {
          ...address,
          template: "inquiry.details_saved",
          values: { details: state.noted.join(", "), reference: state.reference },
        });
      }
      await tx.delete(botSessions).where(eq(botSessions.key, key));
    });
    return true;
  });
}
