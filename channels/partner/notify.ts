// Tells a partner at its webhook_url when its lead is booked or lost (paid: with payments); the event job retries failures.
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database, Executor } from "../../db/client";
import { inquiries, partners, type InquiryStatus } from "../../db/schema";
import type { Subscriber } from "../../hub/events/bus";
import { HopelessJobError } from "../../hub/jobs/driver";
import { inquiryReference } from "../../hub/pipeline/inquiry-record";
import { formatLondon } from "../../hub/time";
import { partnerEventId } from "./inquiry-body";
import { recordAttempt, type NotificationRecord } from "./record-attempt";
import { postSigned, type AttemptOutcome } from "./send-notification";

export type PartnerNotificationType = "inquiry.booked" | "inquiry.lost" | "inquiry.paid";

/**
 * The status changes a partner hears of. `inquiry.paid` comes with payments: a subscriber to the payment event calls
 * the same `partnerNotifier(...)` with type "inquiry.paid".
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
}

export interface NotifierDeps {
  db: Database;
  logger: Logger;
  now: () => Date;
}

export type PartnerNotifier = (tx: Executor, notice: PartnerNotice) => Promise<void>;

export function notifyPartnersOfStatus(deps: NotifierDeps): Subscriber<"inquiry.status_changed"> {
  const notify = partnerNotifier(deps);
  return {
    // A failed attempt is recorded once the job's transaction has rolled back, before the retry.
    onFailure: (_event, error) => recordFailedAttempt(deps, error),
    name: "partners.notify_status",
    type: "inquiry.status_changed",
    wants: (event) => Boolean(event.payload.partner_code && NOTIFIED_STATUSES[event.payload.to]),
    async handle(event, tx) {
      const type = NOTIFIED_STATUSES[event.payload.to];
      const partnerCode = event.payload.partner_code;
      if (!type || !partnerCode) return;
      await notify(tx, {
        eventId: event.id,
        type,
        inquiryId: event.payload.inquiry_id,
        partnerCode,
        status: event.payload.to,
        changedAt: new Date(event.created_at),
      });
    },
  };
}

/**
 * Sends one notification, inside the event job's transaction. A delivery is recorded in that transaction; a failure
 * throws so that the job retries with backoff, after its attempt is recorded outside the transaction.
 */
export function partnerNotifier(deps: NotifierDeps): PartnerNotifier {
  return async (tx, notice) => {
    const [target] = await tx
      .select({
        url: partners.webhookUrl,
        secret: partners.signingSecret,
        number: inquiries.number,
        eventId: inquiries.webhookEventId,
      })
      .from(inquiries)
      .innerJoin(partners, eq(partners.code, inquiries.partnerCode))
      .where(eq(inquiries.id, notice.inquiryId));
    if (!target?.url) return; // the partner takes no notifications
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
      },
    };
    const record: NotificationRecord = {
      partnerCode: notice.partnerCode,
      inquiryId: notice.inquiryId,
      type: notice.type,
      webhookId: `msg_${notice.eventId}`,
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
      const attempt = await recordAttempt(tx, record, outcome);
      deps.logger.info({ webhookId: record.webhookId, attempt, ms: outcome.durationMs }, `delivered ${what}`);
      return;
    }
    deps.logger.warn({ webhookId: record.webhookId, url: target.url, error: outcome.error }, `could not deliver ${what}`);
    if (outcome.verdict === "rejected") {
      throw new HopelessJobError(
        `${what} was refused (${outcome.error}); a retry would get the same answer. Fix the partner's side, then replay this job.`,
        { cause: new AttemptFailed(record, outcome) },
      );
    }
    throw new AttemptFailed(record, outcome, `${what} failed (${outcome.error}); it is retried with backoff`);
  };
}

/** A delivery attempt that did not deliver, carrying what to record about it. */
class AttemptFailed extends Error {
  constructor(
    readonly record: NotificationRecord,
    readonly outcome: AttemptOutcome,
    message = `partner notification ${record.webhookId} not delivered`,
  ) {
    super(message);
    this.name = "AttemptFailed";
  }
}

async function recordFailedAttempt(deps: NotifierDeps, error: unknown): Promise<void> {
  const failed = error instanceof AttemptFailed ? error : error instanceof Error && error.cause instanceof AttemptFailed ? error.cause : undefined;
  if (failed) await deps.db.transaction((tx) => recordAttempt(tx, failed.record, failed.outcome));
}

/** The partner's own webhook-id for the lead; null for a partner lead an operator entered through POST /inquiries. */
function submissionId(partnerCode: string, webhookEventId: string | null): string | null {
  const prefix = partnerEventId(partnerCode, "");
  return webhookEventId?.startsWith(prefix) ? webhookEventId.slice(prefix.length) : null;
}
