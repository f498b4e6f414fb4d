// A member of staff takes an inquiry: it becomes theirs (assignee_id) and in_progress, audited, with its events.
import { eq, sql } from "drizzle-orm";
import { inquiries } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { inTransaction, type HubContext } from "../core/context";
import { HubError } from "../core/errors";
import { appendEvent } from "../core/events/outbox";
import { inquiryReference } from "../pipeline";
import { WORKABLE_STATUSES } from "../sla";

/** Taking it again is a no-op; taking one somebody else has moves it to the taker (the audit log keeps both). */
export async function takeInquiry(
  ctx: Pick<HubContext, "db" | "wake">,
  inquiryId: string,
  userId: string,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const [row] = await tx.select().from(inquiries).where(eq(inquiries.id, inquiryId)).for("update");
    if (!row) throw new HubError("not_found", `No inquiry has id "${inquiryId}".`);
    const reference = inquiryReference(row.number);
    if (!(WORKABLE_STATUSES as readonly string[]).includes(row.status)) {
      throw new HubError("conflict", `${reference} is ${row.status}; only a new or in_progress inquiry can be taken.`);
    }
    if (row.assigneeId === userId && row.status === "in_progress") return false;
    await tx
      .update(inquiries)
      .set({ assigneeId: userId, status: "in_progress", updatedAt: sql`now()` })
      .where(eq(inquiries.id, row.id));
    await recordAudit(tx, {
      actorId: userId,
      action: "inquiry.assigned",
      entityType: "inquiry",
      entityId: row.id,
      before: { assignee_id: row.assigneeId, status: row.status },
      after: { assignee_id: userId, status: "in_progress" },
    });
    await appendEvent(tx, {
      type: "inquiry.assigned",
      aggregateType: "inquiry",
      aggregateId: row.id,
      payload: { inquiry_id: row.id, reference, assignee_id: userId, previous_assignee_id: row.assigneeId },
    });
    if (row.status !== "in_progress") {
      await appendEvent(tx, {
        type: "inquiry.status_changed",
        aggregateType: "inquiry",
        aggregateId: row.id,
        payload: {
          inquiry_id: row.id,
          reference,
          source: row.source,
          partner_code: row.partnerCode,
          from: row.status,
          to: "in_progress",
        },
      });
    }
    return true;
  });
}
