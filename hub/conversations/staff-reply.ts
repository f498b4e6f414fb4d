// A member of staff answers a customer in the chat the lead came from, whether from the API or from Telegram.
import type { messages } from "../../db/schema";
import { inTransaction, type HubContext } from "../core/context";
import { HubError, invalid } from "../core/errors";
import { getInquiry } from "../inquiries";
import { inquiryReference, type InquiryRecord } from "../pipeline";
import { sourceName } from "../staff";
import { isChatSource } from "./inbound";
import { queueStaffReply } from "./outbound";

/** The inquiry came in without a chat (web form, phone, partner): the client must be reached another way. */
export class NoChatError extends HubError {
  constructor(readonly inquiry: InquiryRecord) {
    const ways = [
      inquiry.client.phone && `by phone on ${inquiry.client.phone}`,
      inquiry.client.email && `by e-mail at ${inquiry.client.email}`,
    ]
      .filter(Boolean)
      .join(" or ");
    super(
      "conflict",
      `${inquiryReference(inquiry.number)} came in through the ${sourceName(inquiry)}: there is no chat to answer in. ` +
        (ways
          ? `Contact the client ${ways}, then log it with POST /inquiries/${inquiry.id}/contacts.`
          : "The client left no phone or e-mail."),
    );
    this.name = "NoChatError";
  }
}

export const MAX_REPLY_LENGTH = 4096;

/**
 * Queues the text for the inquiry's chat, attributed to its author (the customer sees only the text). It goes out
 * like every message: through the outbox and the channel, with retries and the channel's reply window; once sent,
 * it is the inquiry's first response if there was none.
 */
export async function replyToCustomer(
  ctx: Pick<HubContext, "db" | "wake">,
  reply: { inquiry: InquiryRecord; authorId: string; text: string },
): Promise<typeof messages.$inferSelect> {
  const { inquiry } = reply;
  if (!isChatSource(inquiry.source) || !inquiry.externalChatId) throw new NoChatError(inquiry);
  const text = reply.text.trim();
  if (text.length === 0 || text.length > MAX_REPLY_LENGTH)
    throw invalid("text", `must be 1-${MAX_REPLY_LENGTH} characters`);
  return inTransaction(ctx, (tx) =>
    queueStaffReply(tx, {
      inquiryId: inquiry.id,
      source: inquiry.source,
      chatId: inquiry.externalChatId!,
      body: text,
      authorId: reply.authorId,
    }),
  );
}

/** The same for the inquiry a request names by id or reference (not_found when none). */
export async function replyToNamedInquiry(
  ctx: Pick<HubContext, "db" | "wake">,
  reply: { idOrReference: string; authorId: string; text: string },
): Promise<{ inquiry: InquiryRecord; message: typeof messages.$inferSelect }> {
  const inquiry = await getInquiry(ctx.db, reply.idOrReference);
  const message = await replyToCustomer(ctx, { inquiry, authorId: reply.authorId, text: reply.text });
  return { inquiry, message };
}
