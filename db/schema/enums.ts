// The user's closed vocabularies: one `as const` list each, shared by the database enums and the API schemas.
import { pgEnum } from "drizzle-orm/pg-core";

/** Exactly five lead sources (hard rule 1). There is no `unknown`, `manual` or `other`. */
export const INQUIRY_SOURCES = ["web_form", "whatsapp", "telegram", "phone", "partner"] as const;
export type InquirySource = (typeof INQUIRY_SOURCES)[number];
export const inquirySource = pgEnum("inquiry_source", INQUIRY_SOURCES);

/** Hard rule 5: Stripe first, one secondary provider behind an adapter, manual as the audited fallback. */
export const PAYMENT_PROVIDERS = ["stripe", "secondary", "manual"] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];
export const paymentProvider = pgEnum("payment_provider", PAYMENT_PROVIDERS);

export const INQUIRY_STATUSES = ["new", "in_progress", "booked", "lost", "closed"] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];
export const inquiryStatus = pgEnum("inquiry_status", INQUIRY_STATUSES);

/** Outcome of an operator-logged phone call (hard rule 4). */
export const CALL_RESULTS = [
  "answered_interested",
  "answered_not_interested",
  "callback_requested",
  "no_answer",
  "voicemail",
  "wrong_number",
] as const;
export type CallResult = (typeof CALL_RESULTS)[number];
export const callResult = pgEnum("call_result", CALL_RESULTS);

/** Staff roles, weakest first: each role may do everything the roles before it may. */
export const USER_ROLES = ["operator", "manager", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];
export const userRole = pgEnum("user_role", USER_ROLES);

export const PARTNER_STATUSES = ["active", "suspended"] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/**
 * How a client is recognised again. A WhatsApp id is a phone number, so WhatsApp and phone leads
 * from one number share the `phone` identity and so the client.
 */
export const CLIENT_IDENTITY_KINDS = ["phone", "telegram", "email"] as const;
export type ClientIdentityKind = (typeof CLIENT_IDENTITY_KINDS)[number];
export const clientIdentityKind = pgEnum("client_identity_kind", CLIENT_IDENTITY_KINDS);

export const JOB_STATUSES = ["waiting", "active", "completed", "failed"] as const;
export const jobStatus = pgEnum("job_status", JOB_STATUSES);

export const TASK_STATUSES = ["open", "done", "cancelled"] as const;
export const taskStatus = pgEnum("task_status", TASK_STATUSES);

/** Which way a conversation message went: from the customer, or to them. */
export const MESSAGE_DIRECTIONS = ["inbound", "outbound"] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export const messageDirection = pgEnum("message_direction", MESSAGE_DIRECTIONS);

/**
 * Where a message is. Inbound: `received`. Outbound: `queued` → `sent` → `delivered` → `read`, or `failed`, or
 * `withheld` (not sent by rule, e.g. outside WhatsApp's 24-hour window with no template: an operator task instead).
 */
export const MESSAGE_STATUSES = ["received", "queued", "sent", "delivered", "read", "failed", "withheld"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const messageStatus = pgEnum("message_status", MESSAGE_STATUSES);

/** What a chat message carried; non-text kinds keep a caption or a short description as the body. */
export const MESSAGE_KINDS = [
  "text",
  "photo",
  "sticker",
  "voice",
  "audio",
  "video",
  "document",
  "contact",
  "location",
  "other",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
export const messageKind = pgEnum("message_kind", MESSAGE_KINDS);

/** How a member of staff reached a customer outside the chat; a logged contact is a first response (SLA). */
export const CONTACT_KINDS = ["call", "email", "in_person"] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const contactKind = pgEnum("contact_kind", CONTACT_KINDS);

/**
 * What a notice to a member of staff in Telegram is about; `telegram_relinked` tells an account's previous chat that it
 * moved; `booking_cancelled`, that a customer cancelled their booking themselves.
 */
export const STAFF_NOTICE_KINDS = [
  "new_inquiry",
  "customer_message",
  "sla_breached",
  "sla_escalated",
  "payment_switched",
  "manual_payment_required",
  "duplicate_payment",
  "customer_proof",
  "telegram_relinked",
  "booking_cancelled",
] as const;
export type StaffNoticeKind = (typeof STAFF_NOTICE_KINDS)[number];
export const staffNoticeKind = pgEnum("staff_notice_kind", STAFF_NOTICE_KINDS);

/** A notice's way out: `queued` → `sent`, or `failed` (Telegram refused it for good). */
export const STAFF_NOTICE_STATUSES = ["queued", "sent", "failed"] as const;
export type StaffNoticeStatus = (typeof STAFF_NOTICE_STATUSES)[number];
export const staffNoticeStatus = pgEnum("staff_notice_status", STAFF_NOTICE_STATUSES);

/** Whether a resource takes bookings. */
export const RESOURCE_STATUSES = ["active", "inactive"] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];
export const resourceStatus = pgEnum("resource_status", RESOURCE_STATUSES);

/**
 * A booking's life: `held` (the slot is kept while the customer decides) → `awaiting_deposit` (accepted) →
 * `confirmed` (deposit paid, or none due) → `completed` (its end passed), or `no_show` (staff: the customer did not
 * come, the deposit is kept); any active one may become `cancelled` or `expired`.
 */
export const BOOKING_STATUSES = [
  "held",
  "awaiting_deposit",
  "confirmed",
  "completed",
  "no_show",
  "cancelled",
  "expired",
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];
export const bookingStatus = pgEnum("booking_status", BOOKING_STATUSES);
/** The statuses that hold a resource's time: the exclusion constraint covers exactly these. */
export const ACTIVE_BOOKING_STATUSES = [
  "held",
  "awaiting_deposit",
  "confirmed",
] as const satisfies readonly BookingStatus[];
