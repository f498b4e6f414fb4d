// How a client's export (UK GDPR access) and an erasure's outcome leave the API: the same shapes as the routes that
// show each part (inquiries, messages, bookings, payments, proofs), datetimes in London time, money in pence.
import { z } from "@hono/zod-openapi";
import { CLIENT_IDENTITY_KINDS, CONTACT_KINDS } from "../../../db/schema";
import type { ClientExport, ErasureOutcome, ErasureRecord } from "../../clients";
import { formatLondon } from "../../core/time";
import { BookingSchema, bookingView } from "./booking";
import { InquirySchema, inquiryView, londonDateTime } from "./inquiry";
import { MessageSchema, messageView } from "./message";
import { PaymentSchema, ProofSchema, paymentView, proofView } from "./payment";

const ErasureSchema = z
  .object({
    erased_at: londonDateTime,
    erased_by: z.uuid().nullable().openapi({ description: "The admin; null when the retention run erased the client" }),
    cause: z.enum(["request", "retention"]),
  })
  .openapi("ClientErasure");

const erasureView = (e: ErasureRecord): z.infer<typeof ErasureSchema> => ({
  erased_at: formatLondon(e.at),
  erased_by: e.actorId,
  cause: e.cause,
});

const ExportProofSchema = ProofSchema.extend({
  download: z.string().nullable().openapi({
    description: "The staff route that serves the file (GET, operator and above); null once the file was erased",
    example: "/payments/8c0c…/proofs/51e2…",
  }),
}).openapi("ClientExportProof");

export const ClientExportSchema = z
  .object({
    exported_at: londonDateTime,
    client: z.object({
      id: z.uuid(),
      name: z.string().nullable(),
      phone: z.string().nullable().openapi({ description: "E.164" }),
      email: z.string().nullable(),
      created_at: londonDateTime,
      updated_at: londonDateTime,
    }),
    erasure: ErasureSchema.nullable().openapi({
      description: "Set once the client was erased: the rest is what erasure kept",
    }),
    identities: z.array(
      z.object({ kind: z.enum(CLIENT_IDENTITY_KINDS), value: z.string(), created_at: londonDateTime }),
    ),
    inquiries: z.array(InquirySchema),
    contacts: z
      .array(
        z.object({
          id: z.uuid(),
          inquiry_id: z.uuid(),
          kind: z.enum(CONTACT_KINDS),
          note: z.string(),
          author_id: z.uuid(),
          created_at: londonDateTime,
        }),
      )
      .openapi({ description: "What staff logged of their calls, e-mails and visits with the person" }),
    messages: z.array(MessageSchema),
    bookings: z.array(BookingSchema),
    reminders: z
      .array(
        z.object({
          booking_id: z.uuid(),
          minutes_before: z.int(),
          outcome: z.enum(["sent", "no_chat"]),
          created_at: londonDateTime,
        }),
      )
      .openapi({ description: "The reminders of their bookings: sent to their chat, or no_chat (none could be)" }),
    payments: z.array(PaymentSchema).openapi({ description: "Attempts and refunds of the person's bookings" }),
    proofs: z.array(ExportProofSchema).openapi({ description: "The manual payments' proofs: metadata and a link" }),
    approvals: z.array(
      z.object({ payment_id: z.uuid(), approved_by: z.uuid(), approved_at: londonDateTime, note: z.string() }),
    ),
  })
  .openapi("ClientExport");

export function clientExportView(
  found: ClientExport,
  now: Date,
  publicUrl: string,
): z.infer<typeof ClientExportSchema> {
  const { client } = found;
  const erased = found.erasure !== null;
  return {
    exported_at: formatLondon(now),
    client: {
      id: client.id,
      name: client.name,
      phone: client.phone,
      email: client.email,
      created_at: formatLondon(client.createdAt),
      updated_at: formatLondon(client.updatedAt),
    },
    erasure: found.erasure ? erasureView(found.erasure) : null,
    identities: found.identities.map((i) => ({ kind: i.kind, value: i.value, created_at: formatLondon(i.createdAt) })),
    inquiries: found.inquiries.map((i) => inquiryView(i, now)),
    contacts: found.contacts.map((c) => ({
      id: c.id,
      inquiry_id: c.inquiryId,
      kind: c.kind,
      note: c.note,
      author_id: c.authorId,
      created_at: formatLondon(c.createdAt),
    })),
    messages: found.messages.map((m) => messageView(m)),
    bookings: found.bookings.map(bookingView),
    reminders: found.reminders.map((r) => ({
      booking_id: r.bookingId,
      minutes_before: r.minutesBefore,
      outcome: r.outcome,
      created_at: formatLondon(r.createdAt),
    })),
    // No pay link: the export is a record of what happened, not a way to pay.
    payments: found.payments.map((p) => paymentView(p, null, publicUrl)),
    proofs: found.proofs.map((p) => ({
      ...proofView(p),
      download: erased ? null : `/payments/${p.paymentId}/proofs/${p.id}`,
    })),
    approvals: found.approvals.map((a) => ({
      payment_id: a.paymentId,
      approved_by: a.approvedBy,
      approved_at: formatLondon(a.approvedAt),
      note: a.note,
    })),
  };
}

export const ErasureOutcomeSchema = z
  .object({
    client_id: z.uuid(),
    already_erased: z.boolean().openapi({
      description: "True when the client had been erased before: erased_at and erased_by are that first erasure's",
    }),
    ...ErasureSchema.shape,
    removed: z.record(z.string(), z.int()).openapi({
      description:
        "How many rows of each kind lost personal data in this call: client, identities, inquiries, messages, contacts, " +
        "staff_notices, tasks, channel_events, bot_sessions, bookings, payments, payment_events, proofs, approvals, " +
        "audit_entries, closed_inquiries. All zero on a second call that found nothing new.",
      example: { identities: 1, inquiries: 1, messages: 4, proofs: 1, audit_entries: 6 },
    }),
  })
  .openapi("ClientErasureOutcome");

export const erasureOutcomeView = (o: ErasureOutcome): z.infer<typeof ErasureOutcomeSchema> => ({
  client_id: o.clientId,
  already_erased: o.alreadyErased,
  ...erasureView(o.erasure),
  removed: { ...o.removed },
});
