// Queues a message to a customer's chat: a `queued` row and a `message.queued` event, in the caller's transaction.
import type { Executor } from "../../db/client";
import { messages, type InquirySource } from "../../db/schema";
import { appendEvent } from "../events/outbox";
import { renderTemplate } from "../templates/render";
import type { TemplateKey } from "../templates/defaults";

export interface QueuedMessage {
  inquiryId: string;
  source: InquirySource;
  chatId: string;
  template: TemplateKey;
  values: Record<string, string>;
}

export async function queueMessage(tx: Executor, message: QueuedMessage): Promise<string> {
  const body = await renderTemplate(tx, message.template, message.values);
  const [row] = await tx
    .insert(messages)
    .values({
      inquiryId: message.inquiryId,
      source: message.source,
      direction: "outbound",
      externalChatId: message.chatId,
      body,
      template: message.template,
      status: "queued",
    })
    .returning({ id: messages.id });
  await appendEvent(tx, {
    type: "message.queued",
    aggregateType: "inquiry",
    aggregateId: message.inquiryId,
    payload: { message_id: row!.id, inquiry_id: message.inquiryId, source: message.source },
  });
  return row!.id;
}
