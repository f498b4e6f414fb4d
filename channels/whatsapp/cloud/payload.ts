// The parts of a WhatsApp Cloud API webhook the hub reads: customers' messages, and receipts for what it sent.
import { z } from "@hono/zod-openapi";
import type { MessageKind } from "../../../db/schema";
import type { InboundMessage, Receipt } from "../../../hub/conversations";

const media = z.object({ caption: z.string().optional() }).passthrough();

const MessageSchema = z
  .object({
    from: z.string(),
    id: z.string().min(1),
    // Unix seconds; ten digits at most, so that a Date can always be made of it.
    timestamp: z.string().regex(/^\d{1,10}$/),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    image: media.optional(),
    video: media.optional(),
    document: media.extend({ filename: z.string().optional() }).optional(),
    audio: z.object({ voice: z.boolean().optional() }).passthrough().optional(),
    sticker: z.object({ emoji: z.string().optional() }).passthrough().optional(),
    location: z
      .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional() })
      .passthrough()
      .optional(),
    contacts: z
      .array(z.object({ name: z.object({ formatted_name: z.string() }).partial().optional() }).passthrough())
      .optional(),
    button: z.object({ text: z.string() }).optional(),
    interactive: z
      .object({ type: z.string(), button_reply: z.object({ id: z.string(), title: z.string() }).optional() })
      .passthrough()
      .optional(),
    reaction: z.object({ emoji: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

const StatusSchema = z
  .object({
    id: z.string(),
    status: z.string(),
    timestamp: z.string().optional(),
    recipient_id: z.string().optional(),
    errors: z
      .array(
        z
          .object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

export const WebhookSchema = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.object({
      id: z.string(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z
            .object({
              contacts: z
                .array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).partial().optional() }))
                .optional(),
              messages: z.array(MessageSchema).optional(),
              statuses: z.array(StatusSchema).optional(),
            })
            .passthrough(),
        }),
      ),
    }),
  ),
});

export type CloudWebhook = z.infer<typeof WebhookSchema>;
type CloudMessage = z.infer<typeof MessageSchema>;

const KINDS: Record<string, MessageKind> = {
  text: "text",
  image: "photo",
  sticker: "sticker",
  video: "video",
  document: "document",
  contacts: "contact",
  location: "location",
  button: "text",
  interactive: "text",
};

function kindOf(message: CloudMessage): MessageKind {
  if (message.type === "audio") return message.audio?.voice ? "voice" : "audio";
  // Own keys only: a type named like an Object method ("valueOf") is no kind of ours.
  return Object.hasOwn(KINDS, message.type) ? KINDS[message.type]! : "other";
}

/** What an operator reads in the conversation for a message that may have no text. */
function bodyOf(message: CloudMessage): string {
  switch (message.type) {
    case "text":
      return message.text?.body ?? "";
    case "image":
    case "video":
      return message[message.type]?.caption ?? `[${message.type}]`;
    case "document":
      return (
        message.document?.caption ?? `[document${message.document?.filename ? ` ${message.document.filename}` : ""}]`
      );
    case "sticker":
      return `[sticker${message.sticker?.emoji ? ` ${message.sticker.emoji}` : ""}]`;
    case "location":
      return `[location ${message.location?.name ?? ""} ${message.location?.latitude},${message.location?.longitude}]`.replace(
        / {2,}/g,
        " ",
      );
    case "contacts":
      return `[contact ${message.contacts?.map((c) => c.name?.formatted_name ?? "").join(", ")}]`;
    case "button":
      return message.button?.text ?? "[button]";
    case "interactive":
      return message.interactive?.button_reply ? `[${message.interactive.button_reply.title}]` : "[interactive]";
    case "audio":
      return message.audio?.voice ? "[voice]" : "[audio]";
    default:
      return `[${message.type}]`;
  }
}

export function inboundMessages(webhook: CloudWebhook): InboundMessage[] {
  return webhook.entry.flatMap((entry) =>
    entry.changes
      .filter((change) => change.field === "messages")
      .flatMap((change) =>
        (change.value.messages ?? [])
          // A reaction points at an earlier message; it is no lead and no question.
          .filter((message) => message.type !== "reaction")
          .map((message): InboundMessage => {
            const contact = change.value.contacts?.find((c) => c.wa_id === message.from);
            return {
              source: "whatsapp",
              chatId: message.from,
              messageId: message.id,
              webhookEventId: message.id,
              kind: kindOf(message),
              body: bodyOf(message),
              sentAt: new Date(Number(message.timestamp) * 1000),
              client: contact?.profile?.name ? { name: contact.profile.name } : undefined,
              raw: { message, contact },
              // A tap on one of the hub's reply buttons (a booking proposal's Accept or Decline).
              action: message.interactive?.button_reply?.id,
            };
          }),
      ),
  );
}

export interface CloudReceipt {
  externalMessageId: string;
  status: Receipt;
  error?: string;
}

export function receipts(webhook: CloudWebhook): CloudReceipt[] {
  return webhook.entry.flatMap((entry) =>
    entry.changes.flatMap((change) =>
      (change.value.statuses ?? []).flatMap((status): CloudReceipt[] => {
        if (!["sent", "delivered", "read", "failed"].includes(status.status)) return [];
        const error = status.errors?.map((e) => `${e.code ?? ""} ${e.title ?? e.message ?? ""}`.trim()).join("; ");
        return [{ externalMessageId: status.id, status: status.status as Receipt, ...(error ? { error } : {}) }];
      }),
    ),
  );
}
