// What a customer told us about their booking (when, how many, which service), saved on their inquiry, audited.
import { eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { inquiries } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError, invalid } from "../core/errors";

export interface InquiryDetails {
  requestedStartAt?: Date;
  partySize?: number;
  service?: string;
}

/** Sets the given details (the others stay as they are); `actorId` null means the customer, through a channel. */
export async function updateInquiryDetails(
  db: Database,
  inquiryId: string,
  details: InquiryDetails,
  actorId: string | null = null,
): Promise<void> {
  const changes = validDetails(details);
  if (Object.keys(changes).length === 0) return;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({
        requestedStartAt: inquiries.requestedStartAt,
        partySize: inquiries.partySize,
        service: inquiries.service,
      })
      .from(inquiries)
      .where(eq(inquiries.id, inquiryId))
      .for("update");
    if (!row) throw new HubError("not_found", `No inquiry has id "${inquiryId}".`);
    await tx
      .update(inquiries)
      .set({ ...changes, updatedAt: sql`now()` })
      .where(eq(inquiries.id, inquiryId));
    const before = Object.fromEntries(Object.keys(changes).map((key) => [key, row[key as keyof typeof row] ?? null]));
    await recordAudit(tx, {
      actorId,
      action: "inquiry.details_updated",
      entityType: "inquiry",
      entityId: inquiryId,
      before,
      after: changes,
    });
  });
}

function validDetails(details: InquiryDetails): InquiryDetails {
  const { requestedStartAt, partySize } = details;
  const service = details.service?.trim();
  if (requestedStartAt !== undefined && Number.isNaN(requestedStartAt.getTime()))
    throw invalid("requested_start_at", "is not a date and time");
  if (partySize !== undefined && (!Number.isInteger(partySize) || partySize < 1 || partySize > 1000)) {
    throw invalid("party_size", "must be a whole number from 1 to 1000");
  }
  if (service !== undefined && (service.length === 0 || service.length > 200 || service.includes("\u0000"))) {
    throw invalid("service", "must be 1-200 characters");
  }
  return {
    ...(requestedStartAt ? { requestedStartAt } : {}),
    ...(partySize !== undefined ? { partySize } : {}),
    ...(service !== undefined ? { service } : {}),
  };
}
