// Where every chat message lands: the first one of a chat opens an inquiry, the next ones join its conversation.
import { and, eq } from "drizzle-orm";
import { messages, webhookEvents } from "../../db/schema";
import { inTransaction } from "../core/context";
import { appendEvent } from "../core/events/outbox";
import {
  ingestInquiry,
  openChatInquiry,
  OpenConversationError,
  type PipelineDeps,
  type InquiryRecord,
} from "../pipeline";
import { readBookingDetails } from "./booking-details";
import type { InboundMessage } from "./inbound";

export type ReceiveOutcome =
  /** A new inquiry, with this message as the first of its conversation. */
  | { kind: "opened"; inquiry: InquiryRecord }
  /** Added to the chat's open inquiry. */
  | { kind: "joined"; inquiry: InquiryRecord; messageId: string }
  /** Seen before (a redelivery): nothing changed. */
  | { kind: "duplicate"; inquiryId: string };

export async function receiveMessage(deps: PipelineDeps, message: InboundMessage): Promise<ReceiveOutcome> {
  // Up to three tries: a message racing another from the same chat may find the conversation opened meanwhile.
  for (let attempt = 1; ; attempt++) {
    const seen = await findMessage(deps, message);
    if (seen) return { kind: "duplicate", inquiryId: seen.inquiryId };
    const open = await openChatInquiry(deps.db, message.source, message.chatId);
    if (open) {
      const joined = await joinConversation(deps, open, message);
      if (joined) return joined;
      continue; // the insert conflicted: a redelivery racing this one; the next look finds it
    }
    // "Table for 4 this Friday at 7pm": what the first message says is on the inquiry from the start.
    const details = message.kind === "text" ? readBookingDetails(message.body, message.sentAt) : {};
    const ahead =
      details.requestedStartAt && details.requestedStartAt > message.sentAt ? details.requestedStartAt : undefined;
    try {
      const { inquiry, replayed } = await ingestInquiry(
        deps,
        {
          source: message.source,
          message: message.body,
          external_chat_id: message.chatId,
          external_message_id: message.messageId,
          webhook_event_id: message.webhookEventId,
          client: message.client,
          received_at: message.sentAt > deps.now() ? undefined : message.sentAt,
          ...(ahead ? { requested_start_at: ahead } : {}),
          ...(details.partySize ? { party_size: details.partySize } : {}),
        },
        {
          webhookPayload: message.raw,
          firstMessage: { kind: message.kind, body: message.body, sentAt: message.sentAt, raw: message.raw },
        },
      );
      return replayed ? { kind: "duplicate", inquiryId: inquiry.id } : { kind: "opened", inquiry };
    } catch (error) {
      if (error instanceof OpenConversationError && attempt < 3) continue;
      throw error;
    }
  }
}

async function findMessage(deps: PipelineDeps, message: InboundMessage) {
  const [row] = await deps.db
    .select({ inquiryId: messages.inquiryId })
    .from(messages)
    .where(and(eq(messages.source, message.source), eq(messages.externalMessageId, message.messageId)));
  return row;
}

/** Adds the message to the open inquiry's conversation, with its webhook event and a `message.received` event. */
async function joinConversation(deps: PipelineDeps, inquiry: InquiryRecord, message: InboundMessage) {
  const joined = await inTransaction(deps, async (tx) => {
    const [row] = await tx
      .insert(messages)
      .values({
        inquiryId: inquiry.id,
        source: message.source,
        direction: "inbound",
        externalChatId: message.chatId,
        externalMessageId: message.messageId,
        kind: message.kind,
        body: message.body,
        status: "received",
        webhookEventId: message.webhookEventId,
        raw: message.raw ?? null,
        sentAt: message.sentAt,
      })
      .onConflictDoNothing()
      .returning({ id: messages.id });
    if (!row) return undefined;
    await Promise.all([
      tx
        .insert(webhookEvents)
        .values({ source: message.source, externalEventId: message.webhookEventId, payload: message.raw ?? {} })
        .onConflictDoNothing(),
      appendEvent(tx, {
        type: "message.received",
        aggregateType: "inquiry",
        aggregateId: inquiry.id,
        payload: { message_id: row.id, inquiry_id: inquiry.id, source: message.source, kind: message.kind },
      }),
    ]);
    return row;
  });
  if (!joined) return undefined;
  return { kind: "joined" as const, inquiry, messageId: joined.id };
}
