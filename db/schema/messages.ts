// A chat's conversation: every message in and out, attached to the inquiry it belongs to.
import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb, updatedAt } from "./columns";
import { inquirySource, messageDirection, messageKind, messageStatus } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

export interface MessageAction {
  /** What the channel hands back when it is chosen, e.g. `booking:accept:<booking id>` (Telegram allows 64 bytes). */
  id: string;
  title: string;
  /** What a customer types to choose it where there are no buttons (WhatsApp Web): "YES". */
  word: string;
  /**
   * How the choice reads after "Reply " where it is typed: "YES if you are coming". Without it, `<word> to <title>`
   * ("YES to accept").
   */
  reply?: string;
  /** A link button instead (a payment link): opens the URL and hands nothing back. */
  url?: string;
}

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    source: inquirySource("source").notNull(),
    direction: messageDirection("direction").notNull(),
    externalChatId: text("external_chat_id").notNull(),
    /**
     * The channel's id for the message, unique per channel: WhatsApp's wamid; for Telegram, whose message ids are
     * unique only within a chat, `<chat id>:<message id>`. Null for an outbound message not yet sent.
     */
    externalMessageId: text("external_message_id"),
    kind: messageKind("kind").notNull().default("text"),
    body: text("body").notNull(),
    /** The member of staff who wrote an outbound message; null for the hub's automated ones. */
    authorId: uuid("author_id").references(() => users.id),
    /**
     * Choices the customer answers with a tap (a booking's Accept and Decline): each id comes back in the
     * channel's callback; a channel without buttons puts them in the text.
     */
    actions: jsonb("actions").$type<MessageAction[]>(),
    /** The template an automated message was written from. */
    template: text("template"),
    status: messageStatus("status").notNull(),
    error: text("error"),
    webhookEventId: text("webhook_event_id"),
    /** What the channel sent us (inbound), or answered (outbound). */
    raw: storableJsonb("raw"),
    /** Inbound: when the customer sent it (the channel's time). Outbound: when it was queued. */
    sentAt: instant("sent_at").notNull().defaultNow(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("messages_source_external_message_id_key").on(t.source, t.externalMessageId),
    index("messages_inquiry_id_idx").on(t.inquiryId, t.createdAt),
    index("messages_chat_inbound_idx").on(t.source, t.externalChatId, t.sentAt).where(sql`${t.direction} = 'inbound'`),
  ],
);
