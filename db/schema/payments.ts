// Payments: one row per attempt at a provider (hard rule 5), the verified webhooks behind them, manual proofs and
// approvals (rule 7), the providers' call timings for the health view, and partners' commissions.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { bookings } from "./bookings";
import { createdAt, instant, updatedAt } from "./columns";
import { paymentProvider } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

/**
 * An attempt's life. `creating`: written, the provider not yet answered. `open`: its checkout page (or, for manual,
 * the bank-transfer instructions) is live. `awaiting_approval`: a manual one with a proof. `paid`; `failed`;
 * `cancelled`: superseded and closed at its provider; `expired`; `refunded`. A refund row is `open` (pending),
 * `refunded` or `failed`.
 */
export const PAYMENT_STATUSES = [
  "creating",
  "open",
  "awaiting_approval",
  "paid",
  "failed",
  "cancelled",
  "expired",
  "refunded",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** The statuses of an attempt still able to take the customer's money: a booking has at most one. */
export const LIVE_PAYMENT_STATUSES = [
  "creating",
  "open",
  "awaiting_approval",
] as const satisfies readonly PaymentStatus[];
export const PAYMENT_TYPES = ["deposit", "full", "refund"] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bookingId: uuid("booking_id")
      .notNull()
      .references(() => bookings.id),
    provider: paymentProvider("provider").notNull(),
    /** The provider's id (a Checkout Session, an order, a payment link; a refund's id on a refund row). */
    providerPaymentId: text("provider_payment_id"),
    /** Which adapter filled the slot then ("stripe", "revolut", "checkout", "manual"): the secondary may change. */
    providerName: text("provider_name").notNull(),
    type: text("type").$type<PaymentType>().notNull().default("deposit"),
    status: text("status").$type<PaymentStatus>().notNull().default("creating"),
    /**
     * Major units at the database edge only (the user's schema); code reads and writes minor units
     * (payments/amount.ts).
     */
    amount: numeric("amount", { precision: 10, scale: 2 }).notNull(),
    currency: text("currency").notNull(),
    attemptNumber: integer("attempt_number").notNull().default(1),
    isFallback: boolean("is_fallback").notNull().default(false),
    /** A new round (POST /bookings/{id}/payments) starts again from the first provider after a final failure. */
    round: integer("round").notNull().default(1),
    checkoutUrl: text("checkout_url"),
    expiresAt: instant("expires_at"),
    paidAt: instant("paid_at"),
    /** When the row became `refunded` (a refund row's money back; an attempt refunded): the day reports take it off. */
    refundedAt: instant("refunded_at"),
    failureReason: text("failure_reason"),
    /** On a refund row: the attempt it pays back. */
    refundOf: uuid("refund_of"),
    /** On a refund row: who asked for it (null: the hub, by the cancellation policy or for a duplicate). */
    requestedBy: uuid("requested_by").references(() => users.id),
    /** On a refund row: why, in the words of whoever asked (free text: erased with the client). */
    note: text("note"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    raw: jsonb("raw"),
  },
  (t) => [
    check("payments_amount_check", sql`${t.amount} > 0`),
    check("payments_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("payments_status_check", sql`${t.status} in (${inList(PAYMENT_STATUSES)})`),
    check("payments_type_check", sql`${t.type} in (${inList(PAYMENT_TYPES)})`),
    check("payments_refund_of_check", sql`(${t.type} = 'refund') = (${t.refundOf} is not null)`),
    uniqueIndex("payments_booking_attempt_key").on(t.bookingId, t.attemptNumber).where(sql`${t.type} <> 'refund'`),
    uniqueIndex("payments_provider_payment_key")
      .on(t.provider, t.providerPaymentId)
      .where(sql`${t.providerPaymentId} is not null`),
    // At most one attempt per booking can take money at a time: a second concurrent start is refused by the database.
    uniqueIndex("payments_one_live_attempt_key")
      .on(t.bookingId)
      .where(sql`${t.type} <> 'refund' and ${t.status} in (${inList(LIVE_PAYMENT_STATUSES)})`),
    index("payments_status_provider_idx").on(t.status, t.provider),
    index("payments_created_at_idx").on(t.createdAt),
  ],
);

/** Every provider webhook whose signature checked out, once per provider event id: a replay finds its row and stops. */
export const paymentWebhookEvents = pgTable(
  "payment_webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: paymentProvider("provider").notNull(),
    providerName: text("provider_name").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    kind: text("kind").notNull(),
    paymentId: uuid("payment_id").references(() => payments.id),
    payload: jsonb("payload").notNull(),
    receivedAt: instant("received_at").notNull().defaultNow(),
  },
  (t) => [
    unique("payment_webhook_events_provider_event_key").on(t.provider, t.eventId),
    index("payment_webhook_events_received_idx").on(t.provider, t.receivedAt),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/** Where a proof came from: staff through the API or Telegram, or the customer on their payment page /pay/{token}. */
export const PROOF_VIA = ["api", "telegram", "customer"] as const;
export type ProofVia = (typeof PROOF_VIA)[number];

/** A proof of a manual payment (a bank transfer's confirmation), kept in the database so every process can serve it. */
export const paymentProofs = pgTable(
  "payment_proofs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id),
    /** The member of staff who sent it; null when the customer sent it from their payment page (via customer). */
    uploadedBy: uuid("uploaded_by").references(() => users.id),
    via: text("via").$type<ProofVia>().notNull(),
    /**
     * The Telegram user who sent it (via telegram): the four-eyes check compares people, and a Telegram account may
     * change hands.
     */
    senderTelegramUserId: text("sender_telegram_user_id"),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    comment: text("comment").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check("payment_proofs_comment_check", sql`length(trim(${t.comment})) > 0`),
    check("payment_proofs_size_check", sql`${t.sizeBytes} > 0 and ${t.sizeBytes} <= 10485760`),
    check("payment_proofs_sender_check", sql`${t.senderTelegramUserId} is null or ${t.via} = 'telegram'`),
    check("payment_proofs_via_check", sql`${t.via} in (${inList(PROOF_VIA)})`),
    // Staff proofs name their sender; the customer's has none to name (four eyes never matches it to a manager).
    check("payment_proofs_uploader_check", sql`(${t.via} = 'customer') = (${t.uploadedBy} is null)`),
    index("payment_proofs_payment_idx").on(t.paymentId),
  ],
);

/** A manager's approval of a manual payment (rule 7): the only way a manual attempt becomes paid (a trigger checks). */
export const manualPaymentApprovals = pgTable("manual_payment_approvals", {
  id: uuid("id").primaryKey().defaultRandom(),
  paymentId: uuid("payment_id")
    .notNull()
    .unique()
    .references(() => payments.id),
  approvedBy: uuid("approved_by")
    .notNull()
    .references(() => users.id),
  approvedAt: instant("approved_at").notNull().defaultNow(),
  note: text("note").notNull(),
});

/** One call to a provider's API: its latency and outcome, for the health view's rates and percentiles. */
export const paymentProviderCalls = pgTable(
  "payment_provider_calls",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    provider: paymentProvider("provider").notNull(),
    operation: text("operation").notNull(),
    durationMs: integer("duration_ms").notNull(),
    outcome: text("outcome").$type<"ok" | "error" | "timeout">().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("payment_provider_calls_provider_created_idx").on(t.provider, t.createdAt)],
);

/** What a partner earns on a paid deposit for its lead: commission_percent of it, in minor units. */
export const partnerCommissions = pgTable(
  "partner_commissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partnerCode: text("partner_code").notNull(),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    paymentId: uuid("payment_id")
      .notNull()
      .unique()
      .references(() => payments.id),
    percent: numeric("percent", { precision: 5, scale: 2 }).notNull(),
    /** Minor units. */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    createdAt: createdAt(),
  },
  (t) => [check("partner_commissions_amount_check", sql`${t.amount} >= 0`)],
);
