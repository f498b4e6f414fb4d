// What the hub told a partner, and how each attempt went: where one looks when a partner says it never heard of a
// booking.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import {
  inquiries,
  type PartnerNotificationStatus,
  partnerNotificationAttempts,
  partnerNotifications,
  partners,
} from "../../db/schema";
import { HubError } from "../../hub/core/errors";
import { type Page, type PageRequest, paginate } from "../../hub/core/pagination";

// The API's filter takes these; re-exported so a route needs no import from the schema.
export { PARTNER_NOTIFICATION_STATUSES } from "../../db/schema";
export type { PartnerNotificationStatus } from "../../db/schema";

export type NotificationRow = typeof partnerNotifications.$inferSelect;
export type NotificationAttemptRow = typeof partnerNotificationAttempts.$inferSelect;

/** A notification, the number of the inquiry it is about, and its attempts, the first first. */
export interface SentNotification {
  notification: NotificationRow;
  inquiryNumber: number;
  attempts: NotificationAttemptRow[];
}

/** A partner's notifications, newest first; 404 when no partner has that code. */
export async function listPartnerNotifications(
  db: Executor,
  code: string,
  filter: { status?: PartnerNotificationStatus | undefined },
  page: PageRequest,
): Promise<Page<SentNotification>> {
  const { items, nextCursor } = await paginate(
    page,
    {
      at: partnerNotifications.createdAt,
      id: partnerNotifications.id,
      of: (row: { notification: NotificationRow }) => ({ at: row.notification.createdAt, id: row.notification.id }),
    },
    async ({ after, orderBy, limit }) => {
      // Here, once paginate has read the cursor: a cursor not of ours is a 400 even for an unknown partner.
      const [partner] = await db.select({ code: partners.code }).from(partners).where(eq(partners.code, code));
      if (!partner) throw new HubError("not_found", `No partner "${code}".`);
      return db
        .select({ notification: partnerNotifications, inquiryNumber: inquiries.number })
        .from(partnerNotifications)
        .innerJoin(inquiries, eq(inquiries.id, partnerNotifications.inquiryId))
        .where(
          and(
            eq(partnerNotifications.partnerCode, code),
            filter.status ? eq(partnerNotifications.status, filter.status) : undefined,
            after,
          ),
        )
        .orderBy(...orderBy)
        .limit(limit);
    },
  );
  const attempts = items.length
    ? await db
        .select()
        .from(partnerNotificationAttempts)
        .where(
          inArray(
            partnerNotificationAttempts.notificationId,
            items.map((r) => r.notification.id),
          ),
        )
        .orderBy(asc(partnerNotificationAttempts.attemptNumber))
    : [];
  return {
    items: items.map((row) => ({
      ...row,
      attempts: attempts.filter((a) => a.notificationId === row.notification.id),
    })),
    nextCursor,
  };
}
