// Queues a message to a customer's chat: a `queued` row and a `message.queued` event, in the caller's transaction.
import type { Executor } from "../../db/client";
import { messages, type InquirySource, type MessageAction } from "../../db/schema";
import { appendEvent } from "../core/events/outbox";
import { renderTemplate, type TemplateKey } from "../templates";

interface Addressed {
  inquiryId: string;
  source: InquirySource;
  chatId: string;
}

export interface QueuedMessage extends Addressed {
  template: TemplateKey;
  values: Record<string, string>;
  /** Buttons to answer with (a booking proposal's Accept and Decline). */
  actions?: MessageAction[];
}

/** An automated message, written from a template. */
export async function queueMessage(tx: Executor, message: QueuedMessage): Promise<string> {
  const body = await renderTemplate(tx, message.template, message.values);
  return (
    await queueOutbound(tx, {
      ...message,
      body,
      template: message.template,
      authorId: null,
      actions: message.actions ?? null,
    })
  ).id;
}

/**
 * The hub's own words put together already: a guided answer's problem (no template), or an acknowledgement made of
 * several templates (named by the first).
 */
export function queueAutomatedText(tx: Executor, message: Addressed & { body: string; template?: TemplateKey }) {
  return queueOutbound(tx, { ...message, template: message.template ?? null, authorId: null, actions: null });
}

/** A member of staff's own words. */
export function queueStaffReply(tx: Executor, message: Addressed & { body: string; authorId: string }) {
  return queueOutbound(tx, { ...message, template: null, actions: null });
}

async function queueOutbound(
  tx: Executor,
  message: Addressed & {
    body: string;
    template: string | null;
    authorId: string | null;
    actions: MessageAction[] | null;
  },
) {
  const [row] = await tx
    .insert(messages)
    .values({
      inquiryId: message.inquiryId,
      source: message.source,
      direction: "outbound",
      externalChatId: message.chatId,
      body: message.body,
      template: message.template,
      authorId: message.authorId,
      actions: message.actions,
      status: "queued",
    })
    .returning();
  await appendEvent(tx, {
    type: "message.queued",
    aggregateType: "inquiry",
    aggregateId: message.inquiryId,
    payload: { message_id: row!.id, inquiry_id: message.inquiryId, source: message.source },
  });
  return row!;
}
