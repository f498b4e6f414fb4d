// Signed notifications sent to a partner's webhook_url about its leads (booked, lost; paid later), and every attempt.
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb, updatedAt } from "./columns";
import { inquiries } from "./inquiries";
import { partners } from "./partners";

/**
 * `failing`: the last attempt failed and the event job retries it with backoff (after its last attempt the event
 * is a dead letter an operator can replay); `delivered`: a 2xx came back; `rejected`: the receiver answered a 4xx
 * other than 408 or 429, which a retry would not change (the event goes straight to the dead letters).
 */
export const PARTNER_NOTIFICATION_STATUSES = ["failing", "delivered", "rejected"] as const;
export type PartnerNotificationStatus = (typeof PARTNER_NOTIFICATION_STATUSES)[number];

export const partnerNotifications = pgTable(
  "partner_notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    partnerCode: text("partner_code")
      .notNull()
      .references(() => partners.code),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    /** inquiry.booked, inquiry.lost (inquiry.paid with payments). */
    type: text("type").notNull(),
    /** The Standard Webhooks `webhook-id`: one per notification, the same on every retry, so the partner can dedupe. */
    webhookId: text("webhook_id").notNull(),
    /** The JSON body sent, the same on every attempt. */
    payload: storableJsonb("payload").notNull(),
    /** Where the last attempt went (the partner may change its URL between attempts). */
    url: text("url").notNull(),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    lastAttemptAt: instant("last_attempt_at"),
    deliveredAt: instant("delivered_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("partner_notifications_webhook_id_key").on(t.webhookId),
    index("partner_notifications_partner_code_idx").on(t.partnerCode, t.createdAt),
    check("partner_notifications_status_check", sql`${t.status} in ('failing', 'delivered', 'rejected')`),
  ],
);

export const partnerNotificationAttempts = pgTable(
  "partner_notification_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => partnerNotifications.id),
    attemptNumber: integer("attempt_number").notNull(),
    /** The receiver's HTTP status; null when no answer came (refused, reset, timed out). */
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    attemptedAt: instant("attempted_at").notNull().defaultNow(),
  },
  (t) => [
    unique("partner_notification_attempts_notification_id_attempt_number_key").on(t.notificationId, t.attemptNumber),
  ],
);
