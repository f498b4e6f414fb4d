// A whatsapp-web.js message as the hub's inbound chat message.
import type { MessageKind } from "../../../db/schema";
import type { Receipt, InboundMessage } from "../../../hub/conversations";
import type { WebMessage } from "./client";

const KINDS: Record<string, MessageKind> = {
  chat: "text",
  image: "photo",
  album: "photo",
  sticker: "sticker",
  ptt: "voice",
  audio: "audio",
  video: "video",
  document: "document",
  vcard: "contact",
  multi_vcard: "contact",
  location: "location",
  buttons_response: "text",
  list_response: "text",
};

/** Only a customer's own message in a one-to-one chat is a lead: not ours, not a group's, not a status update. */
export function isCustomerMessage(message: WebMessage): boolean {
  return !message.fromMe && !message.isStatus && message.from.endsWith("@c.us");
}

export function toInbound(message: WebMessage): InboundMessage {
  const kind = KINDS[message.type] ?? "other";
  return {
    source: "whatsapp",
    chatId: message.from,
    messageId: message.id._serialized,
    webhookEventId: message.id._serialized,
    kind,
    body: message.body || `[${kind === "other" ? message.type : kind}]`,
    sentAt: new Date(message.timestamp * 1000),
    client: message._data?.notifyName ? { name: message._data.notifyName } : undefined,
    raw: {
      id: message.id._serialized,
      from: message.from,
      type: message.type,
      body: message.body,
      timestamp: message.timestamp,
    },
  };
}

/** whatsapp-web.js's MessageAck as a receipt; pending (0) says nothing new. */
export function receiptOfAck(ack: number): Receipt | undefined {
  if (ack === -1) return "failed";
  if (ack === 1) return "sent";
  if (ack === 2) return "delivered";
  if (ack >= 3) return "read"; // 4 is "played", for voice notes: read as well
  return undefined;
}
