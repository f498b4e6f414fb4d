// A message to the customer in the chat their inquiry came from, queued in the caller's transaction. A lead without
// a chat (a web form, a phone call) gets none: what it would say is on the booking page or told by staff.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { inquiries } from "../../db/schema";
import { isChatSource } from "./inbound";
import { queueMessage, type QueuedMessage } from "./outbound";

/** What to say: a template, its values, and the buttons to answer with, if any. */
export type CustomerMessage = Pick<QueuedMessage, "template" | "values" | "actions">;

/**
 * Queues `compose()`'s message in the inquiry's chat; returns its id, or undefined when the lead has no chat.
 * `compose` runs only when there is a chat to tell, so what it looks up costs nothing for leads without one.
 */
export async function tellCustomer(
  tx: Executor,
  inquiryId: string,
  compose: () => CustomerMessage | Promise<CustomerMessage>,
): Promise<string | undefined> {
  const [inquiry] = await tx
    .select({ id: inquiries.id, source: inquiries.source, chatId: inquiries.externalChatId })
    .from(inquiries)
    .where(eq(inquiries.id, inquiryId));
  if (!inquiry || !isChatSource(inquiry.source) || !inquiry.chatId) return undefined;
  const message = await compose();
  return queueMessage(tx, { inquiryId: inquiry.id, source: inquiry.source, chatId: inquiry.chatId, ...message });
}
