// What the form sends, checked field by field (each error names the form's own field), and the inquiry it becomes.
import { randomUUID } from "node:crypto";
import { z } from "@hono/zod-openapi";
import type { FieldError } from "../../hub/core/errors";
import { fieldErrors } from "../../hub/http/problem";
import { toE164, type InquiryInput } from "../../hub/pipeline";
import { apiDateTime, plainText } from "../../hub/core/validation";

/** The honeypot: hidden from people, so only a bot fills it in. */
export const HONEYPOT_FIELD = "website";
/** Where the Turnstile widget puts its token in the form. */
export const TOKEN_FIELD = "cf-turnstile-response";

// An empty form field means "not given", as a browser sends every field whether filled in or not.
const blank = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());

const WHOLE_NUMBER = "must be a whole number from 1 to 1000";
const SUBMISSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const SUBMISSION_ID_RULE = "must be 1-128 letters, digits, '.', '_', ':' or '-'";

export const WebFormSubmissionSchema = z
  .object({
    name: blank(plainText(200)).openapi({ description: "Required." }),
    email: blank(z.email("must be an email address like name@example.co.uk").max(254)).openapi({
      description: "An email address or a phone number (or both) is required.",
    }),
    phone: blank(plainText(40)).openapi({
      example: "07911 123456",
      description: "Any format; GB is assumed without a country code.",
    }),
    message: blank(plainText(4000)).openapi({ description: "Required." }),
    requested_start_at: blank(apiDateTime).openapi({
      description:
        "The preferred date and time, London wall time without an offset (an <input type=datetime-local> value).",
      example: "2026-07-01T19:30",
    }),
    party_size: blank(
      z.coerce.number({ error: WHOLE_NUMBER }).int(WHOLE_NUMBER).min(1, WHOLE_NUMBER).max(1000, WHOLE_NUMBER),
    ),
    service: blank(plainText(200)),
    [HONEYPOT_FIELD]: z.string().max(4000).optional().openapi({ description: "Leave empty (a honeypot for bots)." }),
    [TOKEN_FIELD]: blank(z.string().max(2048)).openapi({
      description: "The Turnstile token; required when the hub has TURNSTILE_SECRET_KEY.",
    }),
    submission_id: blank(z.string().regex(SUBMISSION_ID, SUBMISSION_ID_RULE)).openapi({
      description:
        "Makes a resend harmless: the same id is the same inquiry. Or the Idempotency-Key header; generated when neither is sent.",
    }),
  })
  .strict()
  // Run even when some field failed, so that a person sees every problem with the form at once.
  .superRefine(
    (form, ctx) => {
      for (const field of ["name", "message"] as const) {
        if (form[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: "is required" });
      }
      if (form.email === undefined && form.phone === undefined) {
        for (const field of ["email", "phone"]) {
          ctx.addIssue({
            code: "custom",
            path: [field],
            message: "give an email address or a phone number, so that we can answer",
          });
        }
      }
      if (typeof form.phone === "string" && !toE164(form.phone)) {
        ctx.addIssue({
          code: "custom",
          path: ["phone"],
          message: "is not a valid phone number (a UK number may leave out +44)",
        });
      }
    },
    { when: (payload) => typeof payload.value === "object" && payload.value !== null },
  )
  .openapi("WebFormSubmission");

export interface Submission {
  submissionId: string;
  token: string | undefined;
  input: InquiryInput;
  /** The fields as they were sent, without the Turnstile token: what the webhook event keeps. */
  payload: Record<string, unknown>;
}

export type ParseResult = { ok: true; submission: Submission } | { ok: false; errors: FieldError[] };

export function honeypotFilled(fields: Record<string, unknown>): boolean {
  const value = fields[HONEYPOT_FIELD];
  return value !== undefined && value !== null && String(value).trim() !== "";
}

export function parseSubmission(
  fields: Record<string, unknown>,
  options: { idempotencyKey?: string; now: Date },
): ParseResult {
  const result = WebFormSubmissionSchema.safeParse(fields);
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  const form = result.data;
  if (form.requested_start_at && form.requested_start_at < options.now) {
    return {
      ok: false,
      errors: [
        { field: "requested_start_at", message: "is in the past; choose a date and time from now on (London time)" },
      ],
    };
  }
  if (options.idempotencyKey !== undefined && !SUBMISSION_ID.test(options.idempotencyKey)) {
    return { ok: false, errors: [{ field: "Idempotency-Key", message: SUBMISSION_ID_RULE }] };
  }
  if (options.idempotencyKey && form.submission_id && options.idempotencyKey !== form.submission_id) {
    return { ok: false, errors: [{ field: "submission_id", message: "differs from the Idempotency-Key header" }] };
  }
  const submissionId = form.submission_id ?? options.idempotencyKey ?? randomUUID();
  const { [TOKEN_FIELD]: _token, ...sent } = fields;
  return {
    ok: true,
    submission: {
      submissionId,
      token: form[TOKEN_FIELD],
      payload: { ...sent, submission_id: submissionId },
      input: {
        source: "web_form",
        message: form.message,
        client: { name: form.name, email: form.email, phone: form.phone },
        requested_start_at: form.requested_start_at,
        party_size: form.party_size,
        service: form.service,
        webhook_event_id: submissionId,
        // Namespaced: idempotency keys are unique across every source, and a public caller picks its own.
        idempotency_key: idempotencyKeyOf(submissionId),
      },
    },
  };
}

export const idempotencyKeyOf = (submissionId: string) => `web_form:${submissionId}`;
