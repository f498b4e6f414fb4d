// Keeps each notification's delivery status and every attempt at it (partner_notifications,
// partner_notification_attempts).
import { sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { partnerNotificationAttempts, partnerNotifications, type PartnerNotificationStatus } from "../../db/schema";
import type { AttemptOutcome } from "./send-notification";

export interface NotificationRecord {
  partnerCode: string;
  inquiryId: string;
  type: string;
  webhookId: string;
  payload: unknown;
  url: string;
}

const STATUS_OF: Record<AttemptOutcome["verdict"], PartnerNotificationStatus> = {
  delivered: "delivered",
  retry: "failing",
  rejected: "rejected",
};

/** Creates the notification on its first attempt, counts the attempt, and logs it; returns the attempt's number. */
export async function recordAttempt(
  tx: Executor,
  notification: NotificationRecord,
  outcome: AttemptOutcome,
): Promise<number> {
  const status = STATUS_OF[outcome.verdict];
  const delivered = outcome.verdict === "delivered";
  const [row] = await tx
    .insert(partnerNotifications)
    .values({
      ...notification,
      status,
      attempts: 1,
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error,
      lastAttemptAt: sql`now()`,
      deliveredAt: delivered ? sql`now()` : null,
    })
    .onConflictDoUpdate({
      target: partnerNotifications.webhookId,
      set: {
        url: notification.url,
        status,
        attempts: sql`${partnerNotifications.attempts} + 1`,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        lastAttemptAt: sql`now()`,
        deliveredAt: delivered ? sql`now()` : null,
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: partnerNotifications.id, attempts: partnerNotifications.attempts });
  await tx.insert(partnerNotificationAttempts).values({
    notificationId: row!.id,
    attemptNumber: row!.attempts,
    statusCode: outcome.statusCode,
    error: outcome.error,
    durationMs: outcome.durationMs,
  });
  return row!.attempts;
}
