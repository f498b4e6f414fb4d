// How resources, blocks and bookings leave the API: snake_case, money in minor units, datetimes in London time.
import { z } from "@hono/zod-openapi";
import {
  BOOKING_STATUSES,
  RESOURCE_STATUSES,
  type bookings,
  type resourceBlocks,
  type resources,
} from "../../../db/schema";
import { bookingReference, OpeningHoursSchema } from "../../bookings";
import { formatLondon } from "../../core/time";
import { londonDateTime } from "./inquiry";

const londonOrNull = (at: Date | null) => (at ? formatLondon(at) : null);

export const ResourceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    capacity: z.int(),
    tags: z.array(z.string()),
    opening_hours: z.array(OpeningHoursSchema).openapi({ description: "London wall times; empty: open at all hours" }),
    status: z.enum(RESOURCE_STATUSES),
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Resource");

export const resourceView = (r: typeof resources.$inferSelect): z.infer<typeof ResourceSchema> => ({
  id: r.id,
  name: r.name,
  capacity: r.capacity,
  tags: r.tags,
  opening_hours: r.openingHours,
  status: r.status,
  created_at: formatLondon(r.createdAt),
  updated_at: formatLondon(r.updatedAt),
});

export const BlockSchema = z
  .object({
    id: z.uuid(),
    resource_id: z.uuid(),
    starts_at: londonDateTime,
    ends_at: londonDateTime,
    reason: z.string(),
    created_at: londonDateTime,
  })
  .openapi("ResourceBlock");

export const blockView = (b: typeof resourceBlocks.$inferSelect): z.infer<typeof BlockSchema> => ({
  id: b.id,
  resource_id: b.resourceId,
  starts_at: formatLondon(b.startsAt),
  ends_at: formatLondon(b.endsAt),
  reason: b.reason,
  created_at: formatLondon(b.createdAt),
});

export const BookingSchema = z
  .object({
    id: z.uuid(),
    reference: z.string().openapi({ example: "BKG-12" }),
    inquiry_id: z.uuid(),
    client_id: z.uuid(),
    resource_id: z.uuid(),
    start_at: londonDateTime,
    end_at: londonDateTime,
    party_size: z.int().nullable(),
    status: z.enum(BOOKING_STATUSES),
    hold_expires_at: londonDateTime.nullable(),
    deposit_amount: z.int().openapi({ description: "Minor units (pence)" }),
    total_amount: z.int().nullable().openapi({ description: "Minor units (pence)" }),
    currency: z.string().openapi({ example: "GBP" }),
    proposed_at: londonDateTime.nullable(),
    accepted_at: londonDateTime.nullable(),
    confirmed_at: londonDateTime.nullable(),
    cancelled_at: londonDateTime.nullable(),
    cancel_reason: z.string().nullable(),
    cancel_refund: z.enum(["full", "none"]).nullable().openapi({
      description:
        "A cancelled booking's paid deposit: full (refunded in full) or none (kept), by the cancellation policy or a manager's override; null when none was paid",
    }),
    reconfirmed_at: londonDateTime
      .nullable()
      .openapi({ description: 'When the customer answered a reminder with "I\'m coming"' }),
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Booking");

export const bookingView = (b: typeof bookings.$inferSelect): z.infer<typeof BookingSchema> => ({
  id: b.id,
  reference: bookingReference(b.number),
  inquiry_id: b.inquiryId,
  client_id: b.clientId,
  resource_id: b.resourceId,
  start_at: formatLondon(b.startsAt),
  end_at: formatLondon(b.endsAt),
  party_size: b.partySize,
  status: b.status,
  hold_expires_at: londonOrNull(b.holdExpiresAt),
  deposit_amount: b.depositAmount,
  total_amount: b.totalAmount,
  currency: b.currency,
  proposed_at: londonOrNull(b.proposedAt),
  accepted_at: londonOrNull(b.acceptedAt),
  confirmed_at: londonOrNull(b.confirmedAt),
  cancelled_at: londonOrNull(b.cancelledAt),
  cancel_reason: b.cancelReason,
  cancel_refund: b.cancelRefund,
  reconfirmed_at: b.reconfirmedAt ? formatLondon(b.reconfirmedAt) : null,
  created_at: formatLondon(b.createdAt),
  updated_at: formatLondon(b.updatedAt),
});
