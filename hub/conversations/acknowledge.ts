// Every chat lead gets an answer in its chat at once: its reference and when the business will reply, in London time.
import { eq } from "drizzle-orm";
import { inquiries } from "../../db/schema";
import type { Subscriber } from "../events/bus";
import { inquiryReference } from "../pipeline/inquiry-record";
import { formatLondonForPeople } from "../time";
import type { TemplateKey } from "../templates/defaults";
import { isChatSource, type ChatSource } from "./inbound";
import { queueMessage } from "./outbound";
import { missingQuestions, QUESTION_TEMPLATES, understood } from "./guided-questions";
import { renderTemplate } from "../templates/render";

/** Each chat's acknowledgement; Telegram's also asks the first guided question (bots/telegram waits for its answer). */
const ACKNOWLEDGEMENT: Record<ChatSource, TemplateKey> = {
  telegram: "telegram.acknowledged",
  whatsapp: "inquiry.acknowledged",
};

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
    // Telegram's guided questions start here: with the time read from the first message, say what was understood
    // and ask the next question still open (bots/telegram/details-conversation.ts waits for its answer).
    if (event.payload.source === "telegram" && inquiry.requestedStartAt) {
      const next = missingQuestions(inquiry)[0];
      const question = next && next !== "when" ? `\n\n${await renderTemplate(tx, QUESTION_TEMPLATES[next], {})}` : "";
      await queueMessage(tx, { ...base, template: "telegram.acknowledged_understood", values: { ...values, understood: understood(inquiry), question } });
      return;
    }
    await queueMessage(tx, { ...base, template: ACKNOWLEDGEMENT[event.payload.source], values });
  },
};
