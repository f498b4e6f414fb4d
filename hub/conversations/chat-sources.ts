// The sources whose leads come with a chat the hub can answer in; the others are reached by phone or e-mail.
import type { InquirySource } from "../../db/schema";

/** The same two the schema's inquiries_chat_ids_check requires chat ids of. */
export const CHAT_SOURCES = ["telegram", "whatsapp"] as const satisfies readonly InquirySource[];

export const hasChat = (source: InquirySource): source is (typeof CHAT_SOURCES)[number] =>
  (CHAT_SOURCES as readonly InquirySource[]).includes(source);
