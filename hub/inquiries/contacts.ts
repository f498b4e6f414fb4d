// Contacts staff log with a customer outside the chat: audited, and the first one is the inquiry's first response.
import { asc, eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { CONTACT_KINDS, inquiryContacts, users, type ContactKind } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { inTransaction, type HubContext } from "../core/context";
import { recordFirstResponse } from "../sla";
import { getInquiry } from "./find";

/** The ways of reaching a customer outside the chat. */
export { CONTACT_KINDS };

export type ContactRow = typeof inquiryContacts.$inferSelect;

export interface ContactEntry {
  contact: ContactRow;
  authorName: string;
}

/** `inquiry`: its id or reference, as the request names it (not_found when none). */
export async function logContact(
  ctx: Pick<HubContext, "db" | "wake">,
  contact: { inquiry: string; kind: ContactKind; note: string; authorId: string; at: Date },
): Promise<ContactRow> {
  const { id: inquiryId } = await getInquiry(ctx.db, contact.inquiry);
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx
      .insert(inquiryContacts)
      .values({ inquiryId, kind: contact.kind, note: contact.note, authorId: contact.authorId, createdAt: contact.at })
      .returning();
    await recordAudit(tx, {
      actorId: contact.authorId,
      action: "inquiry.contact_logged",
      entityType: "inquiry",
      entityId: inquiryId,
      after: { contact_id: row!.id, kind: contact.kind, note: contact.note },
    });
    await recordFirstResponse(tx, inquiryId, contact.at, "contact");
    return row!;
  });
}

/** The contacts logged with the customer of the inquiry named by id or reference, oldest first. */
export async function contactsOf(db: Executor, idOrReference: string): Promise<ContactEntry[]> {
  const inquiry = await getInquiry(db, idOrReference);
  return db
    .select({ contact: inquiryContacts, authorName: users.name })
    .from(inquiryContacts)
    .innerJoin(users, eq(users.id, inquiryContacts.authorId))
    .where(eq(inquiryContacts.inquiryId, inquiry.id))
    .orderBy(asc(inquiryContacts.createdAt), asc(inquiryContacts.id));
}
