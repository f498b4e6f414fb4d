// How payment attempts leave the API: amount in minor units, datetimes in London time, the customer's one link.
import { z } from "@hono/zod-openapi";
import { PAYMENT_PROVIDERS, PAYMENT_STATUSES, PAYMENT_TYPES, PROOF_VIA } from "../../../db/schema";
import { minorAmount, type PaymentRow, payLinkOf, type ProofRow } from "../../../payments";
import { formatLondon } from "../../core/time";
import { londonDateTime } from "./inquiry";

export const PaymentSchema = z
  .object({
    id: z.uuid(),
    booking_id: z.uuid(),
    provider: z.enum(PAYMENT_PROVIDERS),
    provider_name: z
      .string()
      .openapi({ description: "Which adapter filled the slot: stripe, revolut, checkout or manual" }),
    provider_payment_id: z.string().nullable(),
    type: z.enum(PAYMENT_TYPES),
    status: z.enum(PAYMENT_STATUSES),
    amount: z.int().openapi({ description: "Minor units (pence)" }),
    currency: z.string().openapi({ example: "GBP" }),
    attempt_number: z.int(),
    is_fallback: z.boolean(),
    round: z.int(),
    pay_url: z.string().nullable().openapi({
      description: "The customer's one link, /pay/{token}: it follows the live attempt through every switch",
    }),
    failure_reason: z.string().nullable(),
    refund_of: z.uuid().nullable().openapi({ description: "On a refund (type refund): the payment it pays back" }),
    requested_by: z
      .uuid()
      .nullable()
      .openapi({ description: "On a refund: who asked for it; null when the hub did (the cancellation policy)" }),
    note: z.string().nullable().openapi({ description: "On a refund: why, as whoever asked for it wrote" }),
    expires_at: londonDateTime.nullable(),
    paid_at: londonDateTime.nullable(),
    refunded_at: londonDateTime.nullable(),
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Payment");

export const paymentView = (
  row: PaymentRow,
  payToken: string | null,
  publicUrl: string,
): z.infer<typeof PaymentSchema> => ({
  id: row.id,
  booking_id: row.bookingId,
  provider: row.provider,
  provider_name: row.providerName,
  provider_payment_id: row.providerPaymentId,
  type: row.type,
  status: row.status,
  amount: minorAmount(row),
  currency: row.currency,
  attempt_number: row.attemptNumber,
  is_fallback: row.isFallback,
  round: row.round,
  pay_url: payToken && row.type !== "refund" ? payLinkOf({ publicUrl }, payToken) : null,
  failure_reason: row.failureReason,
  refund_of: row.refundOf,
  requested_by: row.requestedBy,
  note: row.note,
  expires_at: row.expiresAt ? formatLondon(row.expiresAt) : null,
  paid_at: row.paidAt ? formatLondon(row.paidAt) : null,
  refunded_at: row.refundedAt ? formatLondon(row.refundedAt) : null,
  created_at: formatLondon(row.createdAt),
  updated_at: formatLondon(row.updatedAt),
});

export const ProofSchema = z
  .object({
    id: z.uuid(),
    payment_id: z.uuid(),
    uploaded_by: z
      .uuid()
      .nullable()
      .openapi({ description: "The member of staff who sent it; null when the customer sent it (via customer)." }),
    via: z.enum(PROOF_VIA).openapi({
      description: "api, telegram (staff), or customer: sent by the customer on their payment page /pay/{token}.",
    }),
    sender_telegram_user_id: z
      .string()
      .nullable()
      .openapi({ description: "The Telegram user who sent it (via telegram); null for the API." }),
    file_name: z.string(),
    content_type: z.string(),
    size_bytes: z.int(),
    sha256: z.string(),
    comment: z.string(),
    created_at: londonDateTime,
  })
  .openapi("PaymentProof");

export const proofView = (p: ProofRow): z.infer<typeof ProofSchema> => ({
  id: p.id,
  payment_id: p.paymentId,
  uploaded_by: p.uploadedBy,
  via: p.via,
  sender_telegram_user_id: p.senderTelegramUserId,
  file_name: p.fileName,
  content_type: p.contentType,
  size_bytes: p.sizeBytes,
  sha256: p.sha256,
  comment: p.comment,
  created_at: formatLondon(p.createdAt),
});
