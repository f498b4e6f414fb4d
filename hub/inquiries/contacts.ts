// Contacts staff log with a customer outside the chat: audited, and the first one is the inquiry's first response.
import type { Database } from "../../db/client";
import { inquiryContacts, type ContactKind } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { recordFirstResponse } from "../sla/first-response";

export async function logContact(
  db: Database,
  contact: { inquiryId: string; kind: ContactKind; note: string; authorId: string; at: Date },
  afterCommit?: () => void,
): Promise<typeof inquiryContacts.$inferSelect> {
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inquiryContacts)
      .values({
        inquiryId: contact.inquiryId,
        kind: contact.kind,
        note: contact.note,
        authorId: contact.authorId,
        createdAt: contact.at,
      })
      .returning();
    await recordAudit(tx, {
      actorId: contact.authorId,
      action: "inquiry.contact_logged",
      entityType: "inquiry",
      entityId: contact.inquiryId,
      after: { contact_id: row!.id, kind: contact.kind, note: contact.note },
    });
    await recordFirstResponse(tx, contact.inquiryId, contact.at, "contact");
    return row!;
  });
  afterCommit?.();
  return row;
}
