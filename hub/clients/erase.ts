// UK GDPR erasure of one client, in one transaction: refused while a booking or payment of theirs is in flight;
// otherwise their open inquiries are closed, every personal field is blanked or removed, the audit log's entries about
// them lose their personal data, and one `client.erased` entry records who erased them, when and how much.
import { eq } from "drizzle-orm";
import { clients } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { type HubContext, inTransaction, type Transaction } from "../core/context";
import { HubError } from "../core/errors";
import { setInquiryStatus } from "../inquiries";
import { WORKABLE_STATUSES } from "../sla";
import { ERASED_ACTION, type ErasureCause, type ErasureRecord, erasureOf } from "./erasure-record";
import { type Holdings, holdingsOf } from "./holdings";
import { liveWork } from "./live-work";
import { scrubAudit } from "./scrub-audit";
import { type ConversationScrub, scrubConversation } from "./scrub-conversation";
import { type MoneyScrub, scrubMoney } from "./scrub-money";

export interface ErasureRequest {
  clientId: string;
  /** The admin; null for the retention job. */
  actorId: string | null;
  cause: ErasureCause;
}

/** How many rows of each kind lost personal data in this call (zeros on a second call with nothing new). */
export type Removed = ConversationScrub & MoneyScrub & { audit_entries: number; closed_inquiries: number };

export interface ErasureOutcome {
  clientId: string;
  /** The first erasure: this call's, or the earlier one when the client had been erased already. */
  erasure: ErasureRecord;
  alreadyErased: boolean;
  removed: Removed;
}

/** Refused while something of theirs is in flight: a conflict naming each thing and what to do about it. */
export class ClientBusyError extends HubError {
  constructor(
    readonly clientId: string,
    readonly reasons: string[],
  ) {
    super("conflict", `Client ${clientId} cannot be erased yet: ${reasons.join("; ")}.`);
    this.name = "ClientBusyError";
  }
}

const total = (removed: Removed) => Object.values(removed).reduce((sum, n) => sum + n, 0);

/**
 * Erases the client. A second call answers with the first erasure and erases again whatever reached the client
 * since (a message that was on its way during the first): normally nothing, and then it writes nothing at all.
 */
export async function eraseClient(
  ctx: Pick<HubContext, "db" | "wake">,
  request: ErasureRequest,
): Promise<ErasureOutcome> {
  return inTransaction(ctx, async (tx) => {
    const [client] = await tx
      .select({ id: clients.id })
      .from(clients)
      .where(eq(clients.id, request.clientId))
      .for("update");
    if (!client) throw new HubError("not_found", `No client has id "${request.clientId}".`);
    const previous = await erasureOf(tx, client.id);
    const held = await holdingsOf(tx, client.id, true);
    const busy = liveWork(held);
    if (busy.length > 0) throw new ClientBusyError(client.id, busy);

    const closed = await closeOpenInquiries(tx, held, request.actorId);
    const [conversation, money] = await Promise.all([scrubConversation(tx, held), scrubMoney(tx, held)]);
    const removed: Removed = {
      ...conversation,
      ...money,
      audit_entries: await scrubAudit(tx, held),
      closed_inquiries: closed,
    };
    if (!previous || total(removed) > 0) {
      // Counts and the cause only: the entry that records the erasure holds nothing of what was erased.
      await recordAudit(tx, {
        actorId: request.actorId,
        action: ERASED_ACTION,
        entityType: "client",
        entityId: client.id,
        after: { cause: request.cause, again: previous !== undefined, ...removed },
      });
    }
    const erasure = previous ?? (await erasureOf(tx, client.id));
    if (!erasure) throw new Error(`the erasure of client ${client.id} left no audit entry`);
    return { clientId: client.id, erasure, alreadyErased: previous !== undefined, removed };
  });
}

/**
 * An inquiry still someone's work would stay in the queue, breach its SLA and tell staff of a person nobody can answer
 * any more: it is closed, audited and announced as any status change is. Booked, lost and closed ones keep their status.
 */
async function closeOpenInquiries(tx: Transaction, held: Holdings, actorId: string | null): Promise<number> {
  const open = held.inquiries.filter((i) => (WORKABLE_STATUSES as readonly string[]).includes(i.status));
  for (const inquiry of open) await setInquiryStatus(tx, { inquiryId: inquiry.id, status: "closed", actorId });
  return open.length;
}
