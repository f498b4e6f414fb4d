// The one normalised inquiry every source is turned into, with the per-source rules (design §2, §4).
import { z } from "@hono/zod-openapi";
import { CALL_RESULTS, INQUIRY_SOURCES, type InquirySource } from "../../db/schema";
import { apiDateTime, plainText as text } from "../core/validation";

export const sourceSchema = z
  .enum(INQUIRY_SOURCES, { error: `must be one of ${INQUIRY_SOURCES.join(", ")}` })
  .openapi({ description: "Where the lead came from: exactly one of the five sources." });

export const InquiryInputSchema = z
  .object({
    source: sourceSchema,
    message: text(4000).optional(),
    client: z
      .object({
        name: text(200).optional(),
        phone: text(40)
          .optional()
          .openapi({ example: "+44 7911 123456", description: "Any format; GB is assumed without a country code." }),
        email: z.email().max(254).optional(),
      })
      .strict()
      .optional(),
    received_at: apiDateTime
      .optional()
      .openapi({ description: "When the lead reached the business (default: now). The SLA clock starts here." }),
    requested_start_at: apiDateTime.optional(),
    party_size: z.int().min(1).max(1000).optional(),
    service: text(200).optional(),
    partner_code: text(63).optional().openapi({ description: "Required when source is partner; only then." }),
    external_chat_id: text(128).optional().openapi({ description: "Required for whatsapp and telegram." }),
    external_message_id: text(128)
      .optional()
      .openapi({ description: "Required for whatsapp and telegram; unique per source." }),
    webhook_event_id: text(128).optional(),
    idempotency_key: text(255).optional().openapi({ description: "Or the Idempotency-Key header." }),
    duration_seconds: z
      .int()
      .min(0)
      .max(86_400)
      .optional()
      .openapi({ description: "Required when source is phone; only then." }),
    call_result: z
      .enum(CALL_RESULTS, { error: `must be one of ${CALL_RESULTS.join(", ")}` })
      .optional()
      .openapi({ description: "Required when source is phone; only then." }),
    operator_id: z.uuid().optional().openapi({ description: "Required when source is phone; only then." }),
  })
  .strict()
  .superRefine((input, ctx) => {
    const need = (field: keyof typeof input, why: string) => {
      if (input[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `is required ${why}` });
    };
    const forbid = (field: keyof typeof input, why: string) => {
      if (input[field] !== undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `is allowed only ${why}` });
    };
    const rules: Record<InquirySource, () => void> = {
      partner: () => need("partner_code", "when source is partner"),
      whatsapp: () => {
        need("external_chat_id", "for whatsapp");
        need("external_message_id", "for whatsapp");
      },
      telegram: () => {
        need("external_chat_id", "for telegram");
        need("external_message_id", "for telegram");
      },
      phone: () => {
        for (const field of ["duration_seconds", "call_result", "operator_id"] as const)
          need(field, "when source is phone");
        if (!input.client?.phone) {
          ctx.addIssue({
            code: "custom",
            path: ["client", "phone"],
            message: "is required when source is phone (the caller's number)",
          });
        }
      },
      web_form: () => {},
    };
    rules[input.source]();
    if (input.source !== "partner") forbid("partner_code", "when source is partner");
    if (input.source !== "phone") {
      for (const field of ["duration_seconds", "call_result", "operator_id"] as const)
        forbid(field, "when source is phone");
    }
    // A form or partner lead without a phone or email could never be answered.
    if ((input.source === "web_form" || input.source === "partner") && !input.client?.phone && !input.client?.email) {
      ctx.addIssue({ code: "custom", path: ["client"], message: "needs a phone or an email to answer the lead" });
    }
  })
  .openapi("InquiryInput");

export type InquiryInput = z.output<typeof InquiryInputSchema>;
