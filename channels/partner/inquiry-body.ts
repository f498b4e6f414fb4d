// What a partner sends: the normalised inquiry without what the hub takes from the path and the signature headers.
import { z } from "@hono/zod-openapi";
import { HubError, type FieldError } from "../../hub/core/errors";
import { fieldErrors } from "../../hub/http/problem";
import { InquiryInputSchema, type InquiryInput } from "../../hub/pipeline";

const FROM_ELSEWHERE: Record<string, string> = {
  source: "is always partner on this endpoint; leave it out",
  partner_code: "comes from the path (/partners/{code}/inquiries); leave it out",
  idempotency_key: "comes from the webhook-id header; leave it out",
  webhook_event_id: "comes from the webhook-id header; leave it out",
};

const field = InquiryInputSchema.shape;

export const PartnerInquiryBody = z
  .object({
    client: field.client,
    message: field.message,
    received_at: field.received_at,
    requested_start_at: field.requested_start_at,
    party_size: field.party_size,
    service: field.service,
  })
  .strict()
  .openapi("PartnerInquiry", { description: "client.phone or client.email is required" });

/** The webhook-id is part of stored ids (`<code>:<webhook-id>`), which the pipeline keeps to 128 characters. */
export const MAX_WEBHOOK_ID_LENGTH = 64;

/** The pipeline's input for a verified partner request; HubError `invalid` naming each bad field. */
export function partnerInquiryInput(body: unknown, partnerCode: string, webhookId: string): InquiryInput {
  if (webhookId.length > MAX_WEBHOOK_ID_LENGTH) {
    throw new HubError("invalid", `webhook-id must be at most ${MAX_WEBHOOK_ID_LENGTH} characters`, [
      { field: "webhook-id", message: `must be at most ${MAX_WEBHOOK_ID_LENGTH} characters` },
    ]);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw invalidBody([{ field: "(body)", message: "must be a JSON object" }]);
  }
  const misplaced = Object.keys(FROM_ELSEWHERE)
    .filter((key) => key in body)
    .map((key) => ({ field: key, message: FROM_ELSEWHERE[key]! }));
  if (misplaced.length > 0) throw invalidBody(misplaced);
  const own = PartnerInquiryBody.safeParse(body);
  if (!own.success) throw invalidBody(fieldErrors(own.error));
  // The full schema adds the cross-field rules (a phone or an email to answer the lead).
  const full = InquiryInputSchema.safeParse({
    ...body,
    source: "partner",
    partner_code: partnerCode,
    webhook_event_id: partnerEventId(partnerCode, webhookId),
  });
  if (!full.success) throw invalidBody(fieldErrors(full.error));
  return full.data;
}

/** webhook_events is unique per (source, event id) and two partners may both send `msg_1`: the code makes it theirs. */
export const partnerEventId = (partnerCode: string, webhookId: string) => `${partnerCode}:${webhookId}`;

/** Idempotency keys are global across sources, so the partner's webhook-id is namespaced twice over. */
export const partnerIdempotencyKey = (partnerCode: string, webhookId: string) =>
  `partner:${partnerEventId(partnerCode, webhookId)}`;

function invalidBody(errors: FieldError[]): HubError {
  return new HubError(
    "invalid",
    `Invalid request body: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
    errors,
  );
}
