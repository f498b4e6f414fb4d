// An inquiry's conversation as staff read it: every message in and out, with the name of the staff who wrote one.
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { messages, users } from "../../db/schema";
import { getInquiry } from "../inquiries";

export interface ConversationEntry {
  message: typeof messages.$inferSelect;
  /** Null for the customer's and the hub's automated messages. */
  authorName: string | null;
}

/** The inquiry named by id or reference (not_found when none). */
export async function conversationOf(db: Executor, idOrReference: string): Promise<ConversationEntry[]> {
  const inquiry = await getInquiry(db, idOrReference);
  return (
    db
      .select({ message: messages, authorName: users.name })
      .from(messages)
      .leftJoin(users, eq(users.id, messages.authorId))
      .where(eq(messages.inquiryId, inquiry.id))
      // In the order the hub recorded them: channels stamp messages in whole seconds, the hub's clock is finer.
      .orderBy(asc(messages.createdAt), asc(messages.id))
  );
}
