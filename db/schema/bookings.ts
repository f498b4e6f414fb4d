// What is booked (resources, their opening hours and blocks) and the bookings that hold their time.
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { clients } from "./clients";
import { createdAt, instant, updatedAt } from "./columns";
import { bookingStatus, resourceStatus } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

/** One opening interval of a week day, in London wall time; `closes` at or before `opens` means the next day. */
export interface OpeningHours {
  day: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
  opens: string;
  closes: string;
}

export const resources = pgTable(
  "resources",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    capacity: integer("capacity").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Empty: open at all hours. */
    openingHours: jsonb("opening_hours").$type<OpeningHours[]>().notNull().default([]),
    status: resourceStatus("status").notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("resources_capacity_check", sql`${t.capacity} > 0`)],
);

/** Time a resource cannot be booked (maintenance, a private event). */
export const resourceBlocks = pgTable(
  "resource_blocks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    reason: text("reason").notNull(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    check("resource_blocks_range_check", sql`${t.endsAt} > ${t.startsAt}`),
    index("resource_blocks_resource_idx").on(t.resourceId, t.startsAt),
  ],
);

/**
 * A resource's time for an inquiry. Two active bookings of one resource never overlap: an exclusion constraint
 * (migration 0011, btree_gist) refuses the second, so concurrent holds cannot both win.
 */
export const bookings = pgTable(
  "bookings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human reference (BKG-<number>). */
    number: bigint("number", { mode: "number" }).notNull().generatedAlwaysAsIdentity().unique(),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    resourceId: uuid("resource_id")
      .notNull()
      .references(() => resources.id),
    startsAt: instant("starts_at").notNull(),
    endsAt: instant("ends_at").notNull(),
    partySize: integer("party_size"),
    status: bookingStatus("status").notNull().default("held"),
    holdExpiresAt: instant("hold_expires_at"),
    /** Minor units (pence): money is never a float. */
    depositAmount: integer("deposit_amount").notNull(),
    totalAmount: integer("total_amount"),
    currency: text("currency").notNull().default("GBP"),
    proposedAt: instant("proposed_at"),
    acceptedAt: instant("accepted_at"),
    confirmedAt: instant("confirmed_at"),
    cancelledAt: instant("cancelled_at"),
    cancelReason: text("cancel_reason"),
    /** What the cancellation did with a paid deposit: `full` refunded it, `none` kept it (hub/bookings/cancellation.ts). */
    cancelRefund: text("cancel_refund").$type<"full" | "none">(),
    /** When the customer answered a reminder with "I'm coming" (hub/bookings/reminders). */
    reconfirmedAt: instant("reconfirmed_at"),
    /** When the customer asked to cancel from a reminder and was asked once more: the next "Cancel" cancels. */
    cancelAskedAt: instant("cancel_asked_at"),
    /** SHA-256 of the token in the customer's booking link /b/{token}; the token itself is never stored. */
    linkTokenHash: text("link_token_hash").unique(),
    /**
     * The token of the customer's payment link /pay/{token}, which follows the live attempt through every switch. Kept
     * as is, unlike the booking link's: every payment message and the booking page show it again, and it opens only
     * the checkout page the provider hosts anyway.
     */
    payToken: text("pay_token").unique(),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("bookings_range_check", sql`${t.endsAt} > ${t.startsAt}`),
    check(
      "bookings_amounts_check",
      sql`${t.depositAmount} >= 0 and (${t.totalAmount} is null or ${t.totalAmount} >= ${t.depositAmount})`,
    ),
    check("bookings_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("bookings_party_size_check", sql`${t.partySize} > 0`),
    check("bookings_cancel_refund_check", sql`${t.cancelRefund} in ('full', 'none')`),
    index("bookings_resource_starts_idx").on(t.resourceId, t.startsAt),
    index("bookings_inquiry_idx").on(t.inquiryId),
    index("bookings_status_starts_idx").on(t.status, t.startsAt),
  ],
);

/**
 * A reminder sent (or found to have nobody to send it to) for a booking, once per offset: a timer that fires again, or
 * is re-armed at start, finds its row and sends nothing.
 */
export const bookingReminders = pgTable(
  "booking_reminders",
  {
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    /** How long before the start, in minutes (BOOKING_REMINDER_HOURS × 60, rounded). */
    minutesBefore: integer("minutes_before").notNull(),
    /** `sent`: in the customer's chat; `no_chat`: the lead came without one, so the timeline says so instead. */
    outcome: text("outcome").$type<"sent" | "no_chat">().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.bookingId, t.minutesBefore] }),
    check("booking_reminders_outcome_check", sql`${t.outcome} in ('sent', 'no_chat')`),
  ],
);
