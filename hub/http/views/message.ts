// How a conversation message leaves the API.
import { z } from "@hono/zod-openapi";
import {
  INQUIRY_SOURCES,
  MESSAGE_DIRECTIONS,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
  type messages,
} from "../../../db/schema";
import { formatLondon } from "../../core/time";
import { londonDateTime } from "./inquiry";

export const MessageSchema = z
  .object({
    id: z.uuid(),
    inquiry_id: z.uuid(),
    source: z.enum(INQUIRY_SOURCES),
    direction: z.enum(MESSAGE_DIRECTIONS),
    kind: z.enum(MESSAGE_KINDS),
    body: z.string(),
    template: z.string().nullable(),
    status: z.enum(MESSAGE_STATUSES),
    error: z.string().nullable(),
    external_chat_id: z.string(),
    external_message_id: z.string().nullable(),
    author_id: z.uuid().nullable().openapi({
      description: "The member of staff who wrote it; null for the customer's and the hub's automated messages",
    }),
    author_name: z.string().nullable(),
    sent_at: londonDateTime,
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Message");

export function messageView(
  row: typeof messages.$inferSelect,
  authorName: string | null = null,
): z.infer<typeof MessageSchema> {
  return {
    id: row.id,
    inquiry_id: row.inquiryId,
    source: row.source,
    direction: row.direction,
    kind: row.kind,
    body: row.body,
    template: row.template,
    status: row.status,
    error: row.error,
    external_chat_id: row.externalChatId,
    external_message_id: row.externalMessageId,
    author_id: row.authorId,
    author_name: authorName,
    sent_at: formatLondon(row.sentAt),
    created_at: formatLondon(row.createdAt),
    updated_at: formatLondon(row.updatedAt),
  };
}
