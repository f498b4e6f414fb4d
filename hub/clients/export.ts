// UK GDPR access: everything the hub holds about one client, read in one transaction and audited. The proofs' files
// are not copied in (up to 10 MB each): each proof names the staff route that serves its file.
import { asc, eq, getTableColumns, inArray } from "drizzle-orm";
import {
  bookingReminders,
  bookings,
  clientIdentities,
  clients,
  inquiries,
  inquiryContacts,
  manualPaymentApprovals,
  messages,
  paymentProofs,
  payments,
} from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { type HubContext, inTransaction } from "../core/context";
import { HubError } from "../core/errors";
import { type InquiryRecord, selectInquiryRecords, toInquiryRecord } from "../pipeline";
import { type ErasureRecord, erasureOf } from "./erasure-record";

export interface ClientExport {
  client: typeof clients.$inferSelect;
  /** Set once the client has been erased: what follows is what erasure kept. */
  erasure: ErasureRecord | null;
  identities: (typeof clientIdentities.$inferSelect)[];
  inquiries: InquiryRecord[];
  contacts: (typeof inquiryContacts.$inferSelect)[];
  messages: (typeof messages.$inferSelect)[];
  bookings: (typeof bookings.$inferSelect)[];
  /** The reminders of their bookings: sent to their chat, or none for want of one. */
  reminders: (typeof bookingReminders.$inferSelect)[];
  payments: (typeof payments.$inferSelect)[];
  proofs: Omit<typeof paymentProofs.$inferSelect, "content">[];
  approvals: (typeof manualPaymentApprovals.$inferSelect)[];
}

const { content: _file, ...proofColumns } = getTableColumns(paymentProofs);

export async function exportClient(
  ctx: Pick<HubContext, "db" | "wake">,
  request: { clientId: string; actorId: string },
): Promise<ClientExport> {
  return inTransaction(ctx, async (tx) => {
    const [client] = await tx.select().from(clients).where(eq(clients.id, request.clientId));
    if (!client) throw new HubError("not_found", `No client has id "${request.clientId}".`);
    const [erasure, identities, inquiryRows, bookingRows] = await Promise.all([
      erasureOf(tx, client.id),
      tx
        .select()
        .from(clientIdentities)
        .where(eq(clientIdentities.clientId, client.id))
        .orderBy(asc(clientIdentities.createdAt)),
      selectInquiryRecords(tx).where(eq(inquiries.clientId, client.id)).orderBy(asc(inquiries.receivedAt)),
      tx.select().from(bookings).where(eq(bookings.clientId, client.id)).orderBy(asc(bookings.startsAt)),
    ]);
    const inquiryIds = inquiryRows.map((row) => row.inquiry.id);
    const bookingIds = bookingRows.map((b) => b.id);
    const [contacts, messageRows, paymentRows, reminders] = await Promise.all([
      inquiryIds.length === 0
        ? []
        : tx
            .select()
            .from(inquiryContacts)
            .where(inArray(inquiryContacts.inquiryId, inquiryIds))
            .orderBy(asc(inquiryContacts.createdAt)),
      inquiryIds.length === 0
        ? []
        : tx
            .select()
            .from(messages)
            .where(inArray(messages.inquiryId, inquiryIds))
            .orderBy(asc(messages.sentAt), asc(messages.createdAt)),
      bookingIds.length === 0
        ? []
        : tx.select().from(payments).where(inArray(payments.bookingId, bookingIds)).orderBy(asc(payments.createdAt)),
      bookingIds.length === 0
        ? []
        : tx
            .select()
            .from(bookingReminders)
            .where(inArray(bookingReminders.bookingId, bookingIds))
            .orderBy(asc(bookingReminders.createdAt)),
    ]);
    const paymentIds = paymentRows.map((p) => p.id);
    const [proofs, approvals] = await Promise.all([
      paymentIds.length === 0
        ? []
        : tx
            .select(proofColumns)
            .from(paymentProofs)
            .where(inArray(paymentProofs.paymentId, paymentIds))
            .orderBy(asc(paymentProofs.createdAt)),
      paymentIds.length === 0
        ? []
        : tx.select().from(manualPaymentApprovals).where(inArray(manualPaymentApprovals.paymentId, paymentIds)),
    ]);
    const found: ClientExport = {
      client,
      erasure: erasure ?? null,
      identities,
      inquiries: inquiryRows.map(toInquiryRecord),
      contacts,
      messages: messageRows,
      bookings: bookingRows,
      reminders,
      payments: paymentRows,
      proofs,
      approvals,
    };
    // Who looked, and at how much: the export is personal data leaving the hub.
    await recordAudit(tx, {
      actorId: request.actorId,
      action: "client.exported",
      entityType: "client",
      entityId: client.id,
      after: {
        inquiries: inquiryIds.length,
        messages: messageRows.length,
        bookings: bookingIds.length,
        payments: paymentIds.length,
        proofs: proofs.length,
      },
    });
    return found;
  });
}
