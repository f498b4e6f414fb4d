// Where one client's data lives: the rows of every table that are theirs, found from the client's id, with the chat
// ids and channel event ids that point at them from elsewhere (bot state, webhook deliveries).
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import {
  bookings,
  clientIdentities,
  inquiries,
  inquiryContacts,
  type InquirySource,
  messages,
  paymentProofs,
  payments,
  tasks,
} from "../../db/schema";
import { ERASED } from "./redact";

export interface Holdings {
  clientId: string;
  inquiries: { id: string; number: number; source: InquirySource; status: string }[];
  bookings: { id: string; number: number; status: string; startsAt: Date; endsAt: Date }[];
  payments: { id: string; bookingId: string; type: string; status: string }[];
  messageIds: string[];
  proofIds: string[];
  contactIds: string[];
  taskIds: string[];
  /** The chats the client wrote from (a Telegram chat, a WhatsApp number): bot state is kept per chat. */
  chats: string[];
  /** Channel deliveries behind the client's inquiries and messages, by source, as webhook_events keys them. */
  channelEvents: Map<InquirySource, Set<string>>;
}

const unique = <T>(values: T[]) => [...new Set(values)];
/** A chat or event id an earlier erasure left: nothing of the person's is behind it any more. */
const stillPersonal = (id: string | null): id is string => id !== null && !id.startsWith(ERASED);

/**
 * Everything of the client's, read inside the caller's transaction. `lock` takes the client's inquiries and bookings
 * for update: a booking cannot be added to one of them, nor a booking move, until the caller commits.
 */
export async function holdingsOf(tx: Executor, clientId: string, lock: boolean): Promise<Holdings> {
  const inquiryQuery = tx
    .select({
      id: inquiries.id,
      number: inquiries.number,
      source: inquiries.source,
      status: inquiries.status,
      chat: inquiries.externalChatId,
      event: inquiries.webhookEventId,
    })
    .from(inquiries)
    .where(eq(inquiries.clientId, clientId));
  const bookingQuery = tx
    .select({
      id: bookings.id,
      number: bookings.number,
      status: bookings.status,
      startsAt: bookings.startsAt,
      endsAt: bookings.endsAt,
    })
    .from(bookings)
    .where(eq(bookings.clientId, clientId));
  // Bookings first: the booking moves lock a booking and then its inquiry, and the same order cannot deadlock.
  const [bookingRows, inquiryRows, identityRows] = await Promise.all([
    lock ? bookingQuery.for("update") : bookingQuery,
    lock ? inquiryQuery.for("update") : inquiryQuery,
    tx
      .select({ value: clientIdentities.value })
      .from(clientIdentities)
      .where(and(eq(clientIdentities.clientId, clientId), eq(clientIdentities.kind, "telegram"))),
  ]);
  const inquiryIds = inquiryRows.map((i) => i.id);
  const bookingIds = bookingRows.map((b) => b.id);
  const [messageRows, paymentRows, contactRows, taskRows] = await Promise.all([
    inquiryIds.length === 0
      ? []
      : tx
          .select({
            id: messages.id,
            source: messages.source,
            direction: messages.direction,
            chat: messages.externalChatId,
            externalId: messages.externalMessageId,
            event: messages.webhookEventId,
          })
          .from(messages)
          .where(inArray(messages.inquiryId, inquiryIds)),
    bookingIds.length === 0
      ? []
      : tx
          .select({ id: payments.id, bookingId: payments.bookingId, type: payments.type, status: payments.status })
          .from(payments)
          .where(inArray(payments.bookingId, bookingIds)),
    inquiryIds.length === 0
      ? []
      : tx
          .select({ id: inquiryContacts.id })
          .from(inquiryContacts)
          .where(inArray(inquiryContacts.inquiryId, inquiryIds)),
    inquiryIds.length === 0 ? [] : tx.select({ id: tasks.id }).from(tasks).where(inArray(tasks.inquiryId, inquiryIds)),
  ]);
  const paymentIds = paymentRows.map((p) => p.id);
  const proofRows =
    paymentIds.length === 0
      ? []
      : await tx
          .select({ id: paymentProofs.id })
          .from(paymentProofs)
          .where(inArray(paymentProofs.paymentId, paymentIds));

  const channelEvents = new Map<InquirySource, Set<string>>();
  const addEvent = (source: InquirySource, id: string | null) => {
    if (!stillPersonal(id)) return;
    const ids = channelEvents.get(source) ?? new Set<string>();
    channelEvents.set(source, ids.add(id));
  };
  for (const i of inquiryRows) addEvent(i.source, i.event);
  for (const m of messageRows) {
    addEvent(m.source, m.event);
    // A receipt that came before its message's send was recorded waits in webhook_events under this key.
    if (m.direction === "outbound" && m.externalId)
      for (const status of ["sent", "delivered", "read", "failed"])
        addEvent(m.source, `receipt:${m.externalId}:${status}`);
  }

  return {
    clientId,
    inquiries: inquiryRows.map(({ id, number, source, status }) => ({ id, number, source, status })),
    bookings: bookingRows,
    payments: paymentRows,
    messageIds: messageRows.map((m) => m.id),
    proofIds: proofRows.map((p) => p.id),
    contactIds: contactRows.map((c) => c.id),
    taskIds: taskRows.map((t) => t.id),
    chats: unique(
      [
        ...inquiryRows.map((i) => i.chat),
        ...messageRows.map((m) => m.chat),
        ...identityRows.map((r) => r.value),
      ].filter(stillPersonal),
    ),
    channelEvents,
  };
}
