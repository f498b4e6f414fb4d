// Every chat lead gets an answer in its chat at once: its reference and when the business will reply, in London time.
import { eq } from "drizzle-orm";
import { inquiries } from "../../db/schema";
import type { Subscriber } from "../core/events/bus";
import { inquiryReference } from "../pipeline";
import { formatLondonForPeople } from "../core/time";
import { isChatSource } from "./inbound";
import { queueAutomatedText, queueMessage } from "./outbound";
import { startGuidedQuestions } from "./guided-chat";
import { missingQuestions, QUESTION_TEMPLATES, understood, type Question } from "./guided-questions";
import { renderTemplate, renderTemplates } from "../templates";

export const acknowledgeInquiry: Subscriber<"inquiry.created"> = {
  name: "conversations.acknowledge",
  type: "inquiry.created",
  wants: (event) => isChatSource(event.payload.source),
  async handle(event, tx) {
    if (!isChatSource(event.payload.source)) return;
    const [inquiry] = await tx
      .select({
        number: inquiries.number,
        chatId: inquiries.externalChatId,
        deadline: inquiries.slaDeadlineAt,
        requestedStartAt: inquiries.requestedStartAt,
        partySize: inquiries.partySize,
        service: inquiries.service,
      })
      .from(inquiries)
      .where(eq(inquiries.id, event.payload.inquiry_id));
    if (!inquiry?.chatId) return;
    const values = { reference: inquiryReference(inquiry.number), deadline: formatLondonForPeople(inquiry.deadline) };
    const base = { inquiryId: event.payload.inquiry_id, source: event.payload.source, chatId: inquiry.chatId };
    const missing = missingQuestions(inquiry);
    // The first open question's text, or "" when the first message answered everything.
    const nextQuestion = async (first: Question | undefined) =>
      first && first !== "when"
        ? renderTemplate(tx, QUESTION_TEMPLATES[first], {})
        : first === "when"
          ? renderTemplate(tx, "guided.ask_when", {})
          : "";

    if (event.payload.source === "telegram") {
      // Telegram's guided questions start here (bots/telegram/details-conversation.ts waits for the answer). With
      // the time read from the first message, it says what was understood and asks the next question still open.
      if (!inquiry.requestedStartAt)
        return void (await queueMessage(tx, { ...base, template: "telegram.acknowledged", values }));
      const question = await nextQuestion(missing[0]);
      await queueMessage(tx, {
        ...base,
        template: "telegram.acknowledged_understood",
        values: { ...values, understood: understood(inquiry), question: question ? `\n\n${question}` : "" },
      });
      return;
    }
    // WhatsApp: one message, so the first question can never overtake the acknowledgement; the chat's place in the
    // questions is kept for answerGuidedQuestion.
    // Its parts in one read of the templates: this runs for every WhatsApp lead.
    const first = missing[0];
    const parts = await renderTemplates(tx, [
      { key: "inquiry.acknowledged", values },
      ...(inquiry.requestedStartAt || inquiry.partySize
        ? [{ key: "guided.understood" as const, values: { understood: understood(inquiry) } }]
        : []),
      ...(first
        ? [{ key: first === "when" ? ("guided.ask_when" as const) : QUESTION_TEMPLATES[first], values: {} }]
        : []),
    ]);
    await queueAutomatedText(tx, { ...base, body: parts.join("\n\n"), template: "inquiry.acknowledged" });
    await startGuidedQuestions(
      tx,
      { source: "whatsapp", chatId: inquiry.chatId },
      {
        inquiryId: event.payload.inquiry_id,
        reference: values.reference,
        missing,
        now: new Date(event.created_at),
      },
    );
  },
};
