// A Telegram message as the hub's InboundMessage: what it carried, who sent it, and ids unique across chats.
import type { Message, Update } from "grammy/types";
import type { MessageKind } from "../../db/schema";
import type { InboundMessage } from "../../hub/conversations";
import { toE164 } from "../../hub/pipeline";

/** The kind of a message and the text that stands for it in the conversation. */
export function describeMessage(message: Message): { kind: MessageKind; body: string } {
  const caption = message.caption ? ` ${message.caption}` : "";
  if (message.text !== undefined) return { kind: "text", body: message.text };
  if (message.photo) return { kind: "photo", body: `[photo]${caption}` };
  if (message.sticker)
    return { kind: "sticker", body: `[sticker${message.sticker.emoji ? ` ${message.sticker.emoji}` : ""}]` };
  if (message.voice) return { kind: "voice", body: `[voice message, ${message.voice.duration} s]` };
  if (message.audio)
    return { kind: "audio", body: `[audio${message.audio.title ? ` ${message.audio.title}` : ""}]${caption}` };
  if (message.video || message.video_note || message.animation) return { kind: "video", body: `[video]${caption}` };
  if (message.document)
    return {
      kind: "document",
      body: `[document${message.document.file_name ? ` ${message.document.file_name}` : ""}]${caption}`,
    };
  if (message.contact) {
    const name = [message.contact.first_name, message.contact.last_name].filter(Boolean).join(" ");
    return { kind: "contact", body: `[contact ${name} ${message.contact.phone_number}]` };
  }
  if (message.venue) return { kind: "location", body: `[location ${message.venue.title}, ${message.venue.address}]` };
  if (message.location)
    return { kind: "location", body: `[location ${message.location.latitude}, ${message.location.longitude}]` };
  return { kind: "other", body: "[message]" };
}

/**
 * The phone number of a contact the customer shared of themself (the "share my number" button). A contact card of
 * somebody else is kept as a message but is not the customer's number. E.164, or undefined.
 */
export function ownSharedPhone(message: Message): string | undefined {
  const contact = message.contact;
  if (!contact || contact.user_id === undefined || contact.user_id !== message.from?.id) return undefined;
  // Telegram sends the international number, usually without its "+".
  return toE164(contact.phone_number.startsWith("+") ? contact.phone_number : `+${contact.phone_number}`);
}

export function toInboundMessage(update: Update, message: Message): InboundMessage {
  const chatId = String(message.chat.id);
  const name = [message.from?.first_name, message.from?.last_name].filter(Boolean).join(" ") || undefined;
  const phone = ownSharedPhone(message);
  return {
    source: "telegram",
    chatId,
    // Telegram numbers messages per chat, so the message id alone repeats across chats.
    messageId: `${chatId}:${message.message_id}`,
    webhookEventId: String(update.update_id),
    ...describeMessage(message),
    sentAt: new Date(message.date * 1000),
    client: name || phone ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } : undefined,
    raw: update,
  };
}
