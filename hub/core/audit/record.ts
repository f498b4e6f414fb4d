// Appending to the audit log, inside the transaction of the change it describes.
import type { Executor } from "../../../db/client";
import { auditLog } from "../../../db/schema";

export interface AuditEntry {
  /** The user who acted; null for the system. */
  actorId: string | null;
  /** Who acted when no user did: the system, or a customer (a proof sent from their payment page). */
  actorKind?: "user" | "system" | "customer";
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: Executor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorId: entry.actorId,
    actorKind: entry.actorKind ?? (entry.actorId ? "user" : "system"),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}
