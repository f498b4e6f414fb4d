// Erasing what the person said and how to reach them: the client row and identities, inquiries' free text and chat
// ids, messages, staff notes and notices, tasks, the channels' deliveries, and the bots' state of their chats.
// Each update touches only rows that still hold something, so a second erasure counts nothing and changes nothing.
import { and, eq, inArray, isNotNull, ne, or, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import {
  botSessions,
  chatLeases,
  clientIdentities,
  clients,
  inquiries,
  inquiryContacts,
  messages,
  staffNotices,
  tasks,
  webhookEvents,
} from "../../db/schema";
import type { Holdings } from "./holdings";
import { ERASED, redact } from "./redact";

export interface ConversationScrub {
  client: number;
  identities: number;
  inquiries: number;
  messages: number;
  contacts: number;
  staff_notices: number;
  tasks: number;
  channel_events: number;
  bot_sessions: number;
}

/** A unique column's placeholder, made in SQL from the row's own id: `[erased]:<id>`. */
const uniqueFor = (id: SQL | typeof inquiries.id) => sql`${ERASED} || ':' || ${id}::text`;

export async function scrubConversation(tx: Executor, held: Holdings): Promise<ConversationScrub> {
  const inquiryIds = held.inquiries.map((i) => i.id);
  const none = inquiryIds.length === 0;
  const [client, identities, inquiryRows, messageRows, contacts, notices, channelEvents, botState] = await Promise.all([
    tx
      .update(clients)
      .set({ name: null, phone: null, email: null, updatedAt: sql`now()` })
      .where(
        and(
          eq(clients.id, held.clientId),
          or(isNotNull(clients.name), isNotNull(clients.phone), isNotNull(clients.email)),
        ),
      )
      .returning({ id: clients.id }),
    // Gone, not blanked: the next message from the same chat or number finds no one and starts a new client.
    tx
      .delete(clientIdentities)
      .where(eq(clientIdentities.clientId, held.clientId))
      .returning({ kind: clientIdentities.kind }),
    none
      ? []
      : tx
          .update(inquiries)
          .set({
            message: null,
            service: null,
            // Chat leads must keep a chat id and a message id (a check), unique per source: the placeholder and the row.
            externalChatId: sql`case when ${inquiries.externalChatId} is null then null else ${uniqueFor(inquiries.id)} end`,
            externalMessageId: sql`case when ${inquiries.externalMessageId} is null then null else ${uniqueFor(inquiries.id)} end`,
            webhookEventId: null,
            idempotencyKey: null,
            requestHash: ERASED,
            updatedAt: sql`now()`,
          })
          .where(and(inArray(inquiries.id, inquiryIds), ne(inquiries.requestHash, ERASED)))
          .returning({ id: inquiries.id }),
    none
      ? []
      : tx
          .update(messages)
          .set({
            body: ERASED,
            raw: null,
            externalChatId: ERASED,
            externalMessageId: null,
            webhookEventId: null,
            error: sql`case when ${messages.error} is null then null else ${ERASED} end`,
            // Not sent yet, and now never: the chat it was for is gone. A send already under way finds it no longer
            // queued and records nothing of what the channel answered.
            status: sql`case when ${messages.status} = 'queued' then 'failed'::message_status else ${messages.status} end`,
            updatedAt: sql`now()`,
          })
          .where(
            and(
              inArray(messages.inquiryId, inquiryIds),
              or(
                ne(messages.body, ERASED),
                ne(messages.externalChatId, ERASED),
                isNotNull(messages.raw),
                isNotNull(messages.externalMessageId),
                isNotNull(messages.webhookEventId),
              ),
            ),
          )
          .returning({ id: messages.id }),
    none
      ? []
      : tx
          .update(inquiryContacts)
          .set({ note: ERASED })
          .where(and(inArray(inquiryContacts.inquiryId, inquiryIds), ne(inquiryContacts.note, ERASED)))
          .returning({ id: inquiryContacts.id }),
    none
      ? []
      : tx
          .update(staffNotices)
          .set({
            body: ERASED,
            status: sql`case when ${staffNotices.status} = 'queued' then 'failed'::staff_notice_status else ${staffNotices.status} end`,
            error: sql`case when ${staffNotices.status} = 'queued' then ${ERASED} else ${staffNotices.error} end`,
            updatedAt: sql`now()`,
          })
          .where(and(inArray(staffNotices.inquiryId, inquiryIds), ne(staffNotices.body, ERASED)))
          .returning({ id: staffNotices.id }),
    scrubChannelEvents(tx, held),
    scrubBotState(tx, held.chats),
  ]);
  return {
    client: client.length,
    identities: identities.length,
    inquiries: inquiryRows.length,
    messages: messageRows.length,
    contacts: contacts.length,
    staff_notices: notices.length,
    tasks: await scrubTasks(tx, held.taskIds),
    channel_events: channelEvents,
    bot_sessions: botState,
  };
}

/** A delivery as the channel sent it (the message, the sender's name and number): blanked, its id too. */
async function scrubChannelEvents(tx: Executor, held: Holdings): Promise<number> {
  let count = 0;
  for (const [source, ids] of held.channelEvents) {
    const rows = await tx
      .update(webhookEvents)
      .set({ payload: { erased: true }, externalEventId: uniqueFor(sql`${webhookEvents.id}`) })
      .where(and(eq(webhookEvents.source, source), inArray(webhookEvents.externalEventId, [...ids])))
      .returning({ id: webhookEvents.id });
    count += rows.length;
  }
  return count;
}

/**
 * The bots' conversation state and chat leases, kept per chat under keys that end in `:<chat id>`
 * (`telegram:conversation:<chat>`, `guided:whatsapp:<chat>`, `telegram:<chat>`).
 */
async function scrubBotState(tx: Executor, chats: string[]): Promise<number> {
  if (chats.length === 0) return 0;
  const endsWithChat = (key: typeof botSessions.key | typeof chatLeases.key) =>
    or(...chats.map((chat) => sql`right(${key}, ${chat.length + 1}) = ${`:${chat}`}`));
  const [sessions] = await Promise.all([
    tx.delete(botSessions).where(endsWithChat(botSessions.key)).returning({ key: botSessions.key }),
    tx.delete(chatLeases).where(endsWithChat(chatLeases.key)),
  ]);
  return sessions.length;
}

/** A task's title is the hub's own words and a reference; its payload may quote the customer (a withheld message). */
async function scrubTasks(tx: Executor, taskIds: string[]): Promise<number> {
  if (taskIds.length === 0) return 0;
  const rows = await tx.select({ id: tasks.id, payload: tasks.payload }).from(tasks).where(inArray(tasks.id, taskIds));
  let count = 0;
  for (const row of rows) {
    const payload = redact(row.payload);
    if (JSON.stringify(payload) === JSON.stringify(row.payload)) continue;
    await tx.update(tasks).set({ payload, updatedAt: sql`now()` }).where(eq(tasks.id, row.id));
    count++;
  }
  return count;
}
