// The audit log's entries about the person keep who did what to which row and when, and lose the personal data in
// their before and after (a phone shared, a contact's note, a proof's comment, a cancellation's reason). The log is
// append-only in the database; this transaction alone says it redacts (hub.audit_redaction), and the trigger then
// lets it change before and after only (migration 0023_audit_redaction; docs/after-booking.md, "UK GDPR").
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { Holdings } from "./holdings";
import { redact } from "./redact";

/** The entity types whose entries may be about a client: theirs, their inquiries', bookings', payments' and tasks'. */
const PERSONAL_ENTITIES = ["client", "inquiry", "booking", "payment", "task", "message"];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function scrubAudit(tx: Executor, held: Holdings): Promise<number> {
  const ids = [
    held.clientId,
    ...held.inquiries.map((i) => i.id),
    ...held.bookings.map((b) => b.id),
    ...held.payments.map((p) => p.id),
    ...held.taskIds,
    ...held.messageIds,
  ];
  const entries = await tx
    .select({ id: auditLog.id, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(and(inArray(auditLog.entityType, PERSONAL_ENTITIES), inArray(auditLog.entityId, ids)));
  const changed = entries
    .map((e) => ({ id: e.id, before: redact(e.before), after: redact(e.after), was: e }))
    .filter((e) => !same(e.before, e.was.before) || !same(e.after, e.was.after));
  if (changed.length === 0) return 0;
  await tx.execute(sql`select set_config('hub.audit_redaction', 'on', true)`);
  for (const entry of changed)
    await tx.update(auditLog).set({ before: entry.before, after: entry.after }).where(eq(auditLog.id, entry.id));
  // Append-only again for the rest of the transaction (the erasure's own entry is an insert, which it always allows).
  await tx.execute(sql`select set_config('hub.audit_redaction', 'off', true)`);
  return changed.length;
}
