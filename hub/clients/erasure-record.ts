// The audit log is the record of an erasure (by whom, when, why, how much) and so the mark of an erased client: a
// client with a `client.erased` entry is erased. No copy of that fact lives anywhere else to disagree with it.
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { auditLog } from "../../db/schema";

export const ERASED_ACTION = "client.erased";

/** Why a client was erased: a person asked (POST /clients/{id}/erase), or RETENTION_MONTHS passed with no activity. */
export type ErasureCause = "request" | "retention";

export interface ErasureRecord {
  at: Date;
  /** The admin who erased the client; null when the retention job did. */
  actorId: string | null;
  cause: ErasureCause;
}

/** The client's first erasure, if any: later ones only swept up what reached the client meanwhile. */
export async function erasureOf(tx: Executor, clientId: string): Promise<ErasureRecord | undefined> {
  const [row] = await tx
    .select({ at: auditLog.at, actorId: auditLog.actorId, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, "client"), eq(auditLog.entityId, clientId), eq(auditLog.action, ERASED_ACTION)))
    .orderBy(auditLog.at, auditLog.id)
    .limit(1);
  if (!row) return undefined;
  const cause = (row.after as { cause?: ErasureCause } | null)?.cause ?? "request";
  return { at: row.at, actorId: row.actorId, cause };
}

/** SQL true for a client never erased: the retention job's filter, served by the audit log's entity index. */
export const notErased = (clientId: unknown) => sql`not exists (
  select 1 from ${auditLog}
  where ${auditLog.entityType} = 'client' and ${auditLog.entityId} = ${clientId}::text and ${auditLog.action} = ${ERASED_ACTION})`;
