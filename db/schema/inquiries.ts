// The one inquiry table every source ends in; per-source rules are checked here as well as in the pipeline.
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, numeric, pgTable, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { clients } from "./clients";
import { createdAt, instant, updatedAt } from "./columns";
import { callResult, inquirySource, inquiryStatus } from "./enums";
import { partners } from "./partners";
import { users } from "./users";

export const inquiries = pgTable(
  "inquiries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human reference (INQ-<number>) that customers and operators quote. */
    number: bigint("number", { mode: "number" }).notNull().generatedAlwaysAsIdentity().unique(),
    source: inquirySource("source").notNull(),
    status: inquiryStatus("status").notNull().default("new"),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    message: text("message"),
    requestedStartAt: instant("requested_start_at"),
    partySize: integer("party_size"),
    service: text("service"),
    partnerCode: text("partner_code").references(() => partners.code, { onUpdate: "cascade" }),
    externalChatId: text("external_chat_id"),
    externalMessageId: text("external_message_id"),
    webhookEventId: text("webhook_event_id"),
    idempotencyKey: text("idempotency_key").unique(),
    /** Fingerprint of the request that created the row: a replay must match it, else it is a conflict (409). */
    requestHash: text("request_hash").notNull(),
    durationSeconds: integer("duration_seconds"),
    callResult: callResult("call_result"),
    operatorId: uuid("operator_id").references(() => users.id),
    /** When the lead reached the business; the SLA clock starts here. */
    receivedAt: instant("received_at").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    slaDeadlineMinutes: integer("sla_deadline_minutes").notNull(),
    slaDeadlineAt: instant("sla_deadline_at").notNull(),
    sourceWeight: numeric("source_weight", { precision: 3, scale: 2 }).notNull(),
    priority: integer("priority").notNull(),
    /** Who took the inquiry (`/take`): later customer messages go to them, and it is on their `?mine=true` queue. */
    assigneeId: uuid("assignee_id").references(() => users.id),
    /** The first human response: a sent operator message, or a logged contact. It stops the SLA clock. */
    firstResponseAt: instant("first_response_at"),
    /** When the SLA timer found the deadline passed with no response. */
    slaBreachedAt: instant("sla_breached_at"),
    /** When the still unanswered breach was escalated to the managers. */
    slaEscalatedAt: instant("sla_escalated_at"),
  },
  (t) => [
    unique("inquiries_source_external_message_id_key").on(t.source, t.externalMessageId),
    index("inquiries_received_at_idx").on(t.receivedAt.desc(), t.id.desc()),
    index("inquiries_source_received_at_idx").on(t.source, t.receivedAt.desc()),
    index("inquiries_queue_idx").on(t.status, t.priority.desc(), t.slaDeadlineAt),
    index("inquiries_client_id_idx").on(t.clientId),
    index("inquiries_assignee_id_idx").on(t.assigneeId, t.status),
    // One open conversation per chat: a customer's follow-ups join it; after it is lost or closed, a new one opens.
    uniqueIndex("inquiries_open_chat_key")
      .on(t.source, t.externalChatId)
      .where(sql`${t.externalChatId} is not null and ${t.status} in ('new', 'in_progress', 'booked')`),
    check("inquiries_partner_code_check", sql`(${t.source} = 'partner') = (${t.partnerCode} is not null)`),
    check(
      "inquiries_chat_ids_check",
      sql`${t.source} not in ('whatsapp', 'telegram') or (${t.externalChatId} is not null and ${t.externalMessageId} is not null)`,
    ),
    check(
      "inquiries_phone_call_check",
      sql`${t.source} <> 'phone' or (${t.durationSeconds} is not null and ${t.callResult} is not null and ${t.operatorId} is not null)`,
    ),
    check("inquiries_duration_seconds_check", sql`${t.durationSeconds} >= 0`),
    check("inquiries_party_size_check", sql`${t.partySize} > 0`),
    // A phone lead is itself a contact with the customer (migration 0008 filled in the older ones).
    check("inquiries_phone_first_response_check", sql`${t.source} <> 'phone' or ${t.firstResponseAt} is not null`),
  ],
);
