// Tells a partner at its webhook_url when its lead is booked, paid or lost; the event job retries failures.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, inquiries, partnerCommissions, partners, type InquiryStatus } from "../../db/schema";
import { bookingReference } from "../../hub/bookings";
import type { HubContext } from "../../hub/core/context";
import type { Subscriber } from "../../hub/core/events/bus";
import { HopelessJobError } from "../../hub/core/jobs/driver";
import { maskedUrl } from "../../hub/core/logger";
import { inquiryReference } from "../../hub/pipeline";
import { formatLondon } from "../../hub/core/time";
import { partnerEventId } from "./inquiry-body";
import { recordAttempt, type NotificationRecord } from "./record-attempt";
import { postSigned, type AttemptOutcome } from "./send-notification";

export type PartnerNotificationType =
  | "inquiry.booked"
  | "inquiry.lost"
  | "inquiry.paid"
  | "booking.proposed"
  | "booking.confirmed";

/**
 * The status changes a partner hears of; `inquiry.paid` comes from the payment event (notifyPartnersOfPayment).
 */
export const NOTIFIED_STATUSES: Partial<Record<InquiryStatus, PartnerNotificationType>> = {
  booked: "inquiry.booked",
  lost: "inquiry.lost",
};

export interface PartnerNotice {
  /** The hub event behind the notification: its id makes the webhook-id, the same on every retry. */
  eventId: string;
  type: PartnerNotificationType;
  inquiryId: string;
  partnerCode: string;
  status: string;
  changedAt: Date;
  /** For booking notifications: which booking, and when (London time in the payload). */
  booking?: { id: string; reference: string; startsAt: Date; endsAt: Date };
  /** For inquiry.paid: the deposit and the partner's commission on it, in minor units. */
  payment?: { id: string; amount: number; currency: string; commission: number | null };
}

export type NotifierDeps = Pick<HubContext, "db" | "logger" | "now">;

const WEBHOOK_ID_PREFIX = "msg_";
/** A notification's webhook-id: made from its hub event's id, so every retry and replay carries the same one. */
export const webhookIdOf = (eventId: string) => `${WEBHOOK_ID_PREFIX}${eventId}`;
/** The hub event (the events-queue job) behind a notification's webhook-id. */
export const eventIdOfWebhookId = (webhookId: string) =>
  webhookId.startsWith(WEBHOOK_ID_PREFIX) ? webhookId.slice(WEBHOOK_ID_PREFIX.length) : webhookId;

/** A notification the partner took (2xx), to record in the event's transaction. */
export interface DeliveredNotice {
  record: NotificationRecord;
  outcome: AttemptOutcome;
}

/**
 * Sends a partner notification and records it. `send` runs with no transaction open (a receiver may take up to
 * NOTIFICATION_TIMEOUT_MS); it records a failed attempt itself and throws, so the job retries with backoff, and gives
 * back a delivery for `record` to store with the event's marker. Null: the partner takes no notifications.
 */
export interface PartnerNotifier {
  send(notice: PartnerNotice): Promise<DeliveredNotice | null>;
  record(tx: Executor, delivered: DeliveredNotice | null): Promise<void>;
}

export function notifyPartnersOfStatus(
  deps: NotifierDeps,
): Subscriber<"inquiry.status_changed", DeliveredNotice | null> {
  const notifier = partnerNotifier(deps);
  return {
    name: "partners.notify_status",
    type: "inquiry.status_changed",
    wants: (event) => Boolean(event.payload.partner_code && NOTIFIED_STATUSES[event.payload.to]),
    async perform(event) {
      const type = NOTIFIED_STATUSES[event.payload.to];
      const partnerCode = event.payload.partner_code;
      if (!type || !partnerCode) return null;
      return notifier.send({
        eventId: event.id,
        type,
        inquiryId: event.payload.inquiry_id,
        partnerCode,
        status: event.payload.to,
        changedAt: new Date(event.created_at),
      });
    },
    handle: (_event, tx, delivered) => notifier.record(tx, delivered),
  };
}

/** A partner hears when its lead is offered a booking and when that booking is confirmed. */
export function notifyPartnersOfBooking(
  deps: NotifierDeps,
  type: "booking.proposed" | "booking.confirmed",
): Subscriber<typeof type, DeliveredNotice | null> {
  const notifier = partnerNotifier(deps);
  return {
    name: `partners.notify_${type.replace(".", "_")}`,
    type,
    wants: (event) => Boolean(event.payload.partner_code),
    async perform(event) {
      if (!event.payload.partner_code) return null;
      return notifier.send({
        eventId: event.id,
        type,
        inquiryId: event.payload.inquiry_id,
        partnerCode: event.payload.partner_code,
        status: type === "booking.proposed" ? "proposed" : "confirmed",
        changedAt: new Date(event.created_at),
        booking: {
          id: event.payload.booking_id,
          reference: event.payload.reference,
          startsAt: new Date(event.payload.starts_at),
          endsAt: new Date(event.payload.ends_at),
        },
      });
    },
    handle: (_event, tx, delivered) => notifier.record(tx, delivered),
  };
}

/** A partner hears when its lead's deposit is paid: the amount and its commission, in minor units. */
export function notifyPartnersOfPayment(deps: NotifierDeps): Subscriber<"payment.paid", DeliveredNotice | null> {
  const notifier = partnerNotifier(deps);
  return {
    name: "partners.notify_inquiry_paid",
    type: "payment.paid",
    wants: (event) => Boolean(event.payload.partner_code),
    async perform(event) {
      if (!event.payload.partner_code) return null;
      const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, event.payload.booking_id));
      const [commission] = await deps.db
        .select({ amount: partnerCommissions.amount })
        .from(partnerCommissions)
        .where(eq(partnerCommissions.paymentId, event.payload.payment_id));
      return notifier.send({
        eventId: event.id,
        type: "inquiry.paid",
        inquiryId: event.payload.inquiry_id,
        partnerCode: event.payload.partner_code,
        status: "paid",
        changedAt: new Date(event.payload.paid_at),
        ...(booking
          ? {
              booking: {
                id: booking.id,
                reference: bookingReference(booking.number),
                startsAt: booking.startsAt,
                endsAt: booking.endsAt,
              },
            }
          : {}),
        payment: {
          id: event.payload.payment_id,
          amount: event.payload.amount,
          currency: event.payload.currency,
          commission: commission?.amount ?? null,
        },
      });
    },
    handle: (_event, tx, delivered) => notifier.record(tx, delivered),
  };
}

export function partnerNotifier(deps: NotifierDeps): PartnerNotifier {
  return {
    async send(notice) {
      const [target] = await deps.db
        .select({
          url: partners.webhookUrl,
          secret: partners.signingSecret,
          number: inquiries.number,
          eventId: inquiries.webhookEventId,
        })
        .from(inquiries)
        .innerJoin(partners, eq(partners.code, inquiries.partnerCode))
        .where(eq(inquiries.id, notice.inquiryId));
      if (!target?.url) return null; // the partner takes no notifications
      const reference = inquiryReference(target.number);
      const what = `${notice.type} for ${reference} to partner "${notice.partnerCode}"`;
      if (!target.secret) {
        throw new HopelessJobError(
          `${what} cannot be signed: the partner has no signing secret. Rotate it (POST /partners/${notice.partnerCode}/signing-secret), then replay this job.`,
        );
      }
      const payload = {
        type: notice.type,
        timestamp: formatLondon(notice.changedAt),
        data: {
          inquiry_id: notice.inquiryId,
          reference,
          partner_code: notice.partnerCode,
          status: notice.status,
          changed_at: formatLondon(notice.changedAt),
          // The webhook-id the partner sent the lead with, so it can match our reference to its own records.
          submission_id: submissionId(notice.partnerCode, target.eventId),
          ...(notice.booking
            ? {
                booking: {
                  id: notice.booking.id,
                  reference: notice.booking.reference,
                  start_at: formatLondon(notice.booking.startsAt),
                  end_at: formatLondon(notice.booking.endsAt),
                },
              }
            : {}),
          ...(notice.payment
            ? {
                payment: {
                  id: notice.payment.id,
                  amount: notice.payment.amount,
                  currency: notice.payment.currency,
                  commission_amount: notice.payment.commission,
                },
              }
            : {}),
        },
      };
      const record: NotificationRecord = {
        partnerCode: notice.partnerCode,
        inquiryId: notice.inquiryId,
        type: notice.type,
        webhookId: webhookIdOf(notice.eventId),
        payload,
        url: target.url,
      };
      const outcome = await postSigned({
        url: target.url,
        secret: target.secret,
        webhookId: record.webhookId,
        body: JSON.stringify(payload),
        now: deps.now(),
      });
      if (outcome.verdict === "delivered") {
        deps.logger.info({ webhookId: record.webhookId, ms: outcome.durationMs }, `delivered ${what}`);
        return { record, outcome };
      }
      deps.logger.warn(
        { webhookId: record.webhookId, url: maskedUrl(target.url), error: outcome.error },
        `could not deliver ${what}`,
      );
      await deps.db.transaction((tx) => recordAttempt(tx, record, outcome));
      if (outcome.verdict === "rejected") {
        throw new HopelessJobError(
          `${what} was refused (${outcome.error}); a retry would get the same answer. Fix the partner's side, then replay this job.`,
        );
      }
      throw new Error(`${what} failed (${outcome.error}); it is retried with backoff`);
    },
    async record(tx, delivered) {
      if (delivered) await recordAttempt(tx, delivered.record, delivered.outcome);
    },
  };
}

/** The partner's own webhook-id for the lead; null for a partner lead an operator entered through POST /inquiries. */
function submissionId(partnerCode: string, webhookEventId: string | null): string | null {
  const prefix = partnerEventId(partnerCode, "");
  return webhookEventId?.startsWith(prefix) ? webhookEventId.slice(prefix.length) : null;
}
