// A message a bot sent into the chat itself (a guided question), kept in the conversation like every other one.
import type { Database } from "../../db/client";
import { messages } from "../../db/schema";
import type { ChatSource } from "./inbound";

export interface SentChatMessage {
  inquiryId: string;
  source: ChatSource;
  chatId: string;
  body: string;
  template?: string;
  /** The channel's id for it (Telegram: `<chat id>:<message id>`). */
  externalMessageId: string;
  raw?: unknown;
}

export async function recordSentMessage(db: Database, message: SentChatMessage): Promise<void> {
  await db
    .insert(messages)
    .values({
      inquiryId: message.inquiryId,
      source: message.source,
      direction: "outbound",
      externalChatId: message.chatId,
      externalMessageId: message.externalMessageId,
      body: message.body,
      template: message.template ?? null,
      status: "sent",
      raw: message.raw ?? null,
    })
    .onConflictDoNothing();
}
