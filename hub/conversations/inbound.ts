// A chat message as every chat channel hands it to the hub, after the channel has verified where it came from.
import type { MessageKind } from "../../db/schema";

/** The sources whose leads are chats the hub answers in. */
export const CHAT_SOURCES = ["telegram", "whatsapp"] as const;
export type ChatSource = (typeof CHAT_SOURCES)[number];
export const isChatSource = (source: string): source is ChatSource =>
  (CHAT_SOURCES as readonly string[]).includes(source);

export interface InboundMessage {
  source: ChatSource;
  /** The customer's chat: Telegram chat id, WhatsApp wa_id. */
  chatId: string;
  /** Unique per channel (Telegram: `<chat id>:<message id>`, since its message ids repeat across chats). */
  messageId: string;
  /** The delivery's own id (Telegram update_id, WhatsApp wamid…): the webhook event it is recorded under. */
  webhookEventId: string;
  kind: MessageKind;
  /** The text, or a caption, or a short description (`[sticker 😀]`) for a message without text. */
  body: string;
  /** When the customer sent it, by the channel's clock. */
  sentAt: Date;
  client?: { name?: string; phone?: string };
  /** The channel's payload as received, kept with the message and the webhook event. */
  raw: unknown;
  /** The id of the hub's button the customer tapped, when the message is such a tap. */
  action?: string;
}
