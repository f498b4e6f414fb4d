// A customer shared their phone number in the chat: it becomes their client's phone and a `phone` identity.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { clientIdentities, clients, inquiries } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { toE164 } from "../pipeline";

/**
 * Fills the phone of the inquiry's client when it has none, and attaches the number as an identity so a later
 * phone or WhatsApp lead from it finds the same client. A number that already belongs to another client stays
 * theirs: clients are never merged silently. Returns the E.164 number, or undefined when it is not a valid one.
 */
export async function recordSharedPhone(
  db: Database,
  inquiryId: string,
  rawPhone: string,
): Promise<string | undefined> {
  const phone = toE164(rawPhone);
  if (!phone) return undefined;
  await db.transaction(async (tx) => {
    const [client] = await tx
      .select({ id: clients.id, phone: clients.phone })
      .from(inquiries)
      .innerJoin(clients, eq(clients.id, inquiries.clientId))
      .where(eq(inquiries.id, inquiryId));
    if (!client) throw new Error(`inquiry ${inquiryId} has no client; it was just received, so it must exist`);
    const [attached] = await tx
      .insert(clientIdentities)
      .values({ kind: "phone", value: phone, clientId: client.id })
      .onConflictDoNothing()
      .returning({ kind: clientIdentities.kind });
    if (client.phone === null)
      await tx.update(clients).set({ phone, updatedAt: sql`now()` }).where(eq(clients.id, client.id));
    if (attached || client.phone === null) {
      await recordAudit(tx, {
        actorId: null,
        action: "client.phone_shared",
        entityType: "client",
        entityId: client.id,
        before: { phone: client.phone },
        after: { phone: client.phone ?? phone, identity_attached: !!attached },
      });
    }
  });
  return phone;
}
