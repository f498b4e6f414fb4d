// ingestInquiry: the one way a lead enters the hub, from every source, in one transaction (design §4).
import { randomUUID } from "node:crypto";
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { isTransactionConflict } from "../../db/errors";
import { storableValue } from "../../db/storable";
import { inquiries, messages, slaPolicies, webhookEvents, type InquirySource, type MessageKind } from "../../db/schema";
import { inTransaction, type HubContext } from "../core/context";
import { HubError, invalid } from "../core/errors";
import { appendEvent } from "../core/events/outbox";
import { slaDeadline, slaRuleColumns } from "../sla";
import {
  assertClaimed,
  ClientRaceError,
  clientWrites,
  findKnownIdentities,
  planClient,
  type ClientContact,
} from "./clients";
import { normaliseEmail, phoneFromWhatsAppChatId, toE164 } from "./contact";
import type { InquiryInput } from "./inquiry-input";
import { inquiryReference, selectInquiryRecords, toInquiryRecord, type InquiryRecord } from "./inquiry-record";
import { priorityFor, SOURCE_WEIGHTS } from "./priority";
import { requestHash } from "./request-hash";

/**
 * What ingestion needs: the database, the clock, the relay's wake-up after a new inquiry commits, and the observer
 * that counts every intake's outcome (GET /metrics).
 */
export type PipelineDeps = Pick<HubContext, "db" | "now" | "wake" | "observe">;

export interface IngestOptions {
  /** From the Idempotency-Key header; the body's idempotency_key, if any, must equal it. */
  idempotencyKey?: string;
  /** The webhook body as the channel sent it, kept in webhook_events; defaults to the normalised input. */
  webhookPayload?: unknown;
  /** A chat lead's first message, stored as the start of the inquiry's conversation (same transaction). */
  firstMessage?: { kind: MessageKind; body: string; sentAt: Date; raw?: unknown };
}

/**
 * The chat already has an open inquiry (one per chat, enforced by a unique index): a new message joins that
 * inquiry's conversation instead of opening another.
 */
export class OpenConversationError extends HubError {
  constructor(readonly inquiry: InquiryRecord) {
    super(
      "conflict",
      `${inquiryReference(inquiry.number)} is still open for this chat; a new message joins its conversation, and a new inquiry opens once it is lost or closed`,
    );
    this.name = "OpenConversationError";
  }
}

export interface IngestResult {
  inquiry: InquiryRecord;
  /** True when this was a duplicate and `inquiry` is the first one, unchanged. */
  replayed: boolean;
}

/** A lead may be logged after the fact, but not from the future: more than this ahead of now is a mistake. */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;
const ATTEMPTS = 3;

class DuplicateInquiry extends Error {}

export async function ingestInquiry(
  deps: PipelineDeps,
  input: InquiryInput,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const started = performance.now();
  const took = () => (performance.now() - started) / 1000;
  try {
    const result = await ingest(deps, input, options);
    deps.observe.intake(input.source, result.replayed ? "duplicate" : "created", took());
    return result;
  } catch (error) {
    // A chat's next message joining its open inquiry is no refusal; a lead the rules turn away is.
    if (error instanceof HubError && !(error instanceof OpenConversationError))
      deps.observe.intake(input.source, "refused", took());
    throw error;
  }
}

async function ingest(deps: PipelineDeps, input: InquiryInput, options: IngestOptions): Promise<IngestResult> {
  const now = deps.now();
  if (input.received_at && input.received_at.getTime() - now.getTime() > MAX_CLOCK_AHEAD_MS) {
    throw invalid("received_at", "is more than 5 minutes in the future");
  }
  if (options.idempotencyKey && input.idempotency_key && options.idempotencyKey !== input.idempotency_key) {
    throw invalid("idempotency_key", "differs from the Idempotency-Key header");
  }
  const idempotencyKey = input.idempotency_key ?? options.idempotencyKey;
  const contact = contactOf(input);
  // The hash covers what the caller sent, normalised ("07911 123456" is "+447911123456"), and not what was
  // defaulted: received_at = now differs on every retry.
  const hash = requestHash({ ...input, client: contact, idempotency_key: undefined });
  const receivedAt = input.received_at ?? now;

  for (let attempt = 1; ; attempt++) {
    try {
      const inquiry = await inTransaction(deps, async (tx) => {
        // Two round trips inside the transaction: the reads go out together, then every write together
        // (postgres-js pipelines statements issued at once on the transaction's connection, in issue order).
        const [rules, known] = await Promise.all([loadRules(tx, input, receivedAt), findKnownIdentities(tx, contact)]);
        const plan = planClient(contact, known);
        const inquiryId = randomUUID();
        const slaDeadlineAt = slaDeadline(rules, receivedAt);
        const priority = priorityFor(input.source);
        const { upsert, identities } = clientWrites(tx, plan);
        const [, claimed, [row]] = await Promise.all([
          upsert,
          identities,
          tx
            .insert(inquiries)
            .values({
              id: inquiryId,
              source: input.source,
              clientId: plan.client.id,
              message: input.message,
              requestedStartAt: input.requested_start_at,
              partySize: input.party_size,
              service: input.service,
              partnerCode: input.partner_code,
              externalChatId: input.external_chat_id,
              externalMessageId: input.external_message_id,
              webhookEventId: input.webhook_event_id,
              idempotencyKey,
              requestHash: hash,
              durationSeconds: input.duration_seconds,
              callResult: input.call_result,
              operatorId: input.operator_id,
              receivedAt,
              slaDeadlineMinutes: rules.deadlineMinutes,
              slaDeadlineAt,
              sourceWeight: String(SOURCE_WEIGHTS[input.source]),
              priority,
              // A phone lead is itself a contact: the customer has been answered, so its SLA clock never runs.
              firstResponseAt: input.source === "phone" ? receivedAt : null,
            })
            .onConflictDoNothing()
            .returning(),
          input.webhook_event_id
            ? tx
                .insert(webhookEvents)
                .values({
                  source: input.source,
                  externalEventId: input.webhook_event_id,
                  payload: options.webhookPayload ?? input,
                })
                .onConflictDoNothing()
            : undefined,
          options.firstMessage ? insertFirstMessage(tx, inquiryId, input, options.firstMessage) : undefined,
          // Written before we know the inquiry went in: a duplicate rolls the whole transaction back, event included.
          appendEvent(tx, {
            type: "inquiry.created",
            aggregateType: "inquiry",
            aggregateId: inquiryId,
            payload: {
              inquiry_id: inquiryId,
              source: input.source,
              client_id: plan.client.id,
              partner_code: input.partner_code ?? null,
              received_at: receivedAt.toISOString(),
              sla_deadline_at: slaDeadlineAt.toISOString(),
              priority,
            },
          }),
        ]);
        if (!row) throw new DuplicateInquiry();
        assertClaimed(plan, claimed);
        return { ...row, client: { name: plan.client.name, phone: plan.client.phone, email: plan.client.email } };
      });
      return { inquiry, replayed: false };
    } catch (error) {
      if (error instanceof DuplicateInquiry) return replay(deps.db, input, idempotencyKey, hash);
      if (attempt < ATTEMPTS && isTransient(error)) continue;
      throw error;
    }
  }
}

function contactOf(input: InquiryInput): ClientContact {
  const phone = input.client?.phone === undefined ? undefined : toE164(input.client.phone);
  if (input.client?.phone !== undefined && !phone) throw invalid("client.phone", "is not a valid phone number");
  const whatsappPhone = input.source === "whatsapp" ? phoneFromWhatsAppChatId(input.external_chat_id!) : undefined;
  if (input.source === "whatsapp" && !phone && !whatsappPhone) {
    throw invalid("external_chat_id", "must be the customer's WhatsApp number (wa_id) when client.phone is not given");
  }
  return {
    name: input.client?.name,
    phone: phone ?? whatsappPhone,
    email: input.client?.email === undefined ? undefined : normaliseEmail(input.client.email),
    // Leads come from private chats, where Telegram's chat id is the user's id.
    telegramUserId: input.source === "telegram" ? input.external_chat_id : undefined,
  };
}

/**
 * The chat lead's first message, written only if the inquiry went in: sent with the other writes, it must not trip
 * the foreign key when the inquiry insert did nothing (a duplicate, or the chat's open inquiry already exists).
 */
function insertFirstMessage(
  tx: Executor,
  inquiryId: string,
  input: InquiryInput,
  message: NonNullable<IngestOptions["firstMessage"]>,
) {
  return tx.execute(sql`
    insert into ${messages} (inquiry_id, source, direction, external_chat_id, external_message_id, kind, body, status, webhook_event_id, raw, sent_at)
    select ${inquiries.id}, ${input.source}, 'inbound', ${input.external_chat_id}, ${input.external_message_id}, ${message.kind}, ${message.body},
           'received', ${input.webhook_event_id ?? null}, ${JSON.stringify(storableValue(message.raw ?? null))}::jsonb, ${message.sentAt.toISOString()}::timestamptz
    from ${inquiries} where ${inquiries.id} = ${inquiryId}`);
}

/**
 * The SLA policy (with the holidays ahead, for a business clock), and the partner and operator the input names, in
 * one round trip.
 */
async function loadRules(tx: Executor, input: InquiryInput, receivedAt: Date) {
  const [rules] = await tx
    .select({
      ...slaRuleColumns(receivedAt),
      partnerStatus: input.partner_code
        ? sql<string | null>`(select status from partners where code = ${input.partner_code})`
        : sql<null>`null`,
      operatorActive: input.operator_id
        ? sql<boolean | null>`(select active from users where id = ${input.operator_id})`
        : sql<null>`null`,
    })
    .from(slaPolicies)
    .where(eq(slaPolicies.source, input.source));
  if (!rules) throw new Error(`no SLA policy for source ${input.source}; the migrations seed one per source`);
  if (input.partner_code && rules.partnerStatus === null)
    throw invalid("partner_code", `no partner has code "${input.partner_code}"`);
  if (input.partner_code && rules.partnerStatus !== "active") {
    throw invalid("partner_code", `partner "${input.partner_code}" is ${rules.partnerStatus}, not active`);
  }
  if (input.operator_id && !rules.operatorActive) throw invalid("operator_id", "is not an active operator");
  return rules;
}

async function replay(
  db: Database,
  input: InquiryInput,
  idempotencyKey: string | undefined,
  hash: string,
): Promise<IngestResult> {
  const byKey = idempotencyKey ? eq(inquiries.idempotencyKey, idempotencyKey) : undefined;
  const byMessage = input.external_message_id
    ? and(eq(inquiries.source, input.source), eq(inquiries.externalMessageId, input.external_message_id))
    : undefined;
  const rows = await selectInquiryRecords(db).where(or(byKey, byMessage));
  // The key names the request most exactly; the message id is the channel's own dedupe.
  const first = rows.find((r) => idempotencyKey && r.inquiry.idempotencyKey === idempotencyKey) ?? rows[0];
  if (!first) {
    const open = input.external_chat_id ? await openChatInquiry(db, input.source, input.external_chat_id) : undefined;
    if (open) throw new OpenConversationError(open);
    throw new Error("inquiry insert conflicted but no conflicting inquiry was found");
  }
  if (first.inquiry.requestHash !== hash) {
    const what =
      idempotencyKey && first.inquiry.idempotencyKey === idempotencyKey ? "idempotency key" : "external_message_id";
    throw new HubError(
      "conflict",
      `${inquiryReference(first.inquiry.number)} was created with this ${what} from a different request; use a new ${what} for a new inquiry`,
    );
  }
  return { inquiry: toInquiryRecord(first), replayed: true };
}

/** The chat's inquiry that is not yet lost or closed, if any: where its next message belongs. */
export async function openChatInquiry(
  db: Executor,
  source: InquirySource,
  chatId: string,
): Promise<InquiryRecord | undefined> {
  const [row] = await selectInquiryRecords(db).where(
    and(eq(inquiries.source, source), eq(inquiries.externalChatId, chatId), inArray(inquiries.status, OPEN_STATUSES)),
  );
  return row ? toInquiryRecord(row) : undefined;
}

/**
 * Statuses in which an inquiry's chat is still its conversation: the unique index inquiries_open_chat_key names the
 * same (test/db/schema.test.ts checks).
 */
export const OPEN_STATUSES = ["new", "in_progress", "booked"] as const;

function isTransient(error: unknown): boolean {
  return error instanceof ClientRaceError || isTransactionConflict(error);
}
