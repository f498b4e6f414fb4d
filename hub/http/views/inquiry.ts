// How an inquiry leaves the API: snake_case, every datetime in London time with its offset.
import { z } from "@hono/zod-openapi";
import { CALL_RESULTS, INQUIRY_SOURCES, INQUIRY_STATUSES } from "../../../db/schema";
import { inquiryReference, type InquiryRecord } from "../../pipeline";
import { SLA_STATUSES, slaStatus } from "../../sla";
import { formatLondon } from "../../core/time";

export const londonDateTime = z
  .string()
  .openapi({ example: "2026-07-01T10:00:00.000+01:00", description: "London time, ISO 8601 with its offset" });

export const InquirySchema = z
  .object({
    id: z.uuid(),
    reference: z.string().openapi({ example: "INQ-1042" }),
    source: z.enum(INQUIRY_SOURCES),
    status: z.enum(INQUIRY_STATUSES),
    client_id: z.uuid(),
    client: z.object({ name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable() }),
    message: z.string().nullable(),
    received_at: londonDateTime,
    created_at: londonDateTime,
    updated_at: londonDateTime,
    requested_start_at: londonDateTime.nullable(),
    party_size: z.int().nullable(),
    service: z.string().nullable(),
    partner_code: z.string().nullable(),
    external_chat_id: z.string().nullable(),
    external_message_id: z.string().nullable(),
    webhook_event_id: z.string().nullable(),
    idempotency_key: z.string().nullable(),
    duration_seconds: z.int().nullable(),
    call_result: z.enum(CALL_RESULTS).nullable(),
    operator_id: z.uuid().nullable(),
    sla_deadline_minutes: z.int(),
    sla_deadline_at: londonDateTime,
    source_weight: z.number().openapi({ example: 1.1 }),
    priority: z.int().openapi({ description: "round(100 × source_weight)" }),
    assignee_id: z.uuid().nullable().openapi({ description: "Who took it (/take); null while nobody has" }),
    first_response_at: londonDateTime
      .nullable()
      .openapi({ description: "The first human response: a sent staff message or a logged contact" }),
    sla_breached_at: londonDateTime
      .nullable()
      .openapi({ description: "When the deadline was found passed with no response" }),
    sla_status: z.enum(SLA_STATUSES).openapi({
      description:
        "pending: not answered, not yet due; met: answered by the deadline; breached: past it, unanswered; breached_then_answered",
    }),
  })
  .openapi("Inquiry");

export type InquiryView = z.infer<typeof InquirySchema>;

const londonOrNull = (at: Date | null) => (at ? formatLondon(at) : null);

/** `now` decides sla_status for an inquiry not yet answered. */
export function inquiryView(record: InquiryRecord, now: Date): InquiryView {
  return {
    id: record.id,
    reference: inquiryReference(record.number),
    source: record.source,
    status: record.status,
    client_id: record.clientId,
    client: record.client,
    message: record.message,
    received_at: formatLondon(record.receivedAt),
    created_at: formatLondon(record.createdAt),
    updated_at: formatLondon(record.updatedAt),
    requested_start_at: londonOrNull(record.requestedStartAt),
    party_size: record.partySize,
    service: record.service,
    partner_code: record.partnerCode,
    external_chat_id: record.externalChatId,
    external_message_id: record.externalMessageId,
    webhook_event_id: record.webhookEventId,
    idempotency_key: record.idempotencyKey,
    duration_seconds: record.durationSeconds,
    call_result: record.callResult,
    operator_id: record.operatorId,
    sla_deadline_minutes: record.slaDeadlineMinutes,
    sla_deadline_at: formatLondon(record.slaDeadlineAt),
    source_weight: Number(record.sourceWeight),
    priority: record.priority,
    assignee_id: record.assigneeId,
    first_response_at: londonOrNull(record.firstResponseAt),
    sla_breached_at: londonOrNull(record.slaBreachedAt),
    sla_status: slaStatus(record, now),
  };
}
