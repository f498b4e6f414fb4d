// Moving an inquiry through its statuses, audited, with an `inquiry.status_changed` event (partners hear of it).
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { PG, pgErrorCode } from "../../db/errors";
import { INQUIRY_STATUSES, inquiries, type InquiryStatus } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { inTransaction, type HubContext } from "../core/context";
import { HubError } from "../core/errors";
import { appendEvent } from "../core/events/outbox";
import { inquiryReference, type InquiryRecord } from "../pipeline";
import { getInquiry } from "./find";

/** Every status an inquiry can be in, and be moved to. */
export { INQUIRY_STATUSES };

export interface StatusChange {
  inquiryId: string;
  status: InquiryStatus;
  actorId: string | null;
}

/** Returns the status before; the same status again is a no-op that writes nothing. */
export async function changeInquiryStatus(
  ctx: Pick<HubContext, "db" | "wake">,
  change: StatusChange,
): Promise<InquiryStatus> {
  try {
    return await inTransaction(ctx, (tx) => setInquiryStatus(tx, change));
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation) {
      throw new HubError(
        "conflict",
        "This chat has another open inquiry; close or lose that one before reopening this one.",
      );
    }
    throw error;
  }
}

/** The same, inside the caller's transaction (a booking's confirmation books its inquiry in one commit). */
export async function setInquiryStatus(tx: Executor, change: StatusChange): Promise<InquiryStatus> {
  const [row] = await tx.select().from(inquiries).where(eq(inquiries.id, change.inquiryId)).for("update");
  if (!row) throw new HubError("not_found", `No inquiry has id "${change.inquiryId}".`);
  if (row.status === change.status) return row.status;
  await tx.update(inquiries).set({ status: change.status, updatedAt: sql`now()` }).where(eq(inquiries.id, row.id));
  await recordAudit(tx, {
    actorId: change.actorId,
    action: "inquiry.status_changed",
    entityType: "inquiry",
    entityId: row.id,
    before: { status: row.status },
    after: { status: change.status },
  });
  await appendEvent(tx, {
    type: "inquiry.status_changed",
    aggregateType: "inquiry",
    aggregateId: row.id,
    payload: {
      inquiry_id: row.id,
      reference: inquiryReference(row.number),
      source: row.source,
      partner_code: row.partnerCode,
      from: row.status,
      to: change.status,
    },
  });
  return row.status;
}

/** A request's change of the inquiry it names by id or reference (not_found when none): the inquiry after it. */
export async function changeNamedInquiryStatus(
  ctx: Pick<HubContext, "db" | "wake">,
  change: { idOrReference: string; status: InquiryStatus; actorId: string | null },
): Promise<InquiryRecord> {
  const { id } = await getInquiry(ctx.db, change.idOrReference);
  await changeInquiryStatus(ctx, { inquiryId: id, status: change.status, actorId: change.actorId });
  return getInquiry(ctx.db, id);
}
