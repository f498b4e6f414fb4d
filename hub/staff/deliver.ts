// Sends queued staff notices through the Telegram channel: one event, one send, retried with the job's backoff.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { staffNotices } from "../../db/schema";
import { ChannelSendError, type ChannelAdapter, type SentMessage } from "../../channels/adapter";
import type { Subscriber } from "../core/events/bus";
import { describeError, HopelessJobError } from "../core/jobs/driver";

type Delivery = { outcome: "nothing" } | { outcome: "sent"; sent: SentMessage } | { outcome: "failed"; error: string };

export function deliverStaffNotices(
  db: Database,
  telegram: ChannelAdapter,
): Subscriber<"staff_notice.queued", Delivery> {
  return {
    name: "staff.deliver_notice",
    type: "staff_notice.queued",
    async perform(event) {
      const [notice] = await db.select().from(staffNotices).where(eq(staffNotices.id, event.payload.notice_id));
      if (notice?.status !== "queued") return { outcome: "nothing" };
      if (!telegram.send) throw new HopelessJobError(`the telegram channel cannot send notice ${notice.id}`);
      try {
        return {
          outcome: "sent",
          sent: await telegram.send({ id: notice.id, chatId: notice.chatId, text: notice.body }),
        };
      } catch (error) {
        // A member of staff who blocked the bot, or Telegram switched off: trying again cannot help.
        if (error instanceof ChannelSendError && !error.retryable)
          return { outcome: "failed", error: describeError(error) };
        throw error;
      }
    },
    async handle(event, tx, delivery) {
      const stillQueued = and(eq(staffNotices.id, event.payload.notice_id), eq(staffNotices.status, "queued"));
      if (delivery.outcome === "sent") {
        await tx
          .update(staffNotices)
          .set({
            status: "sent",
            telegramMessageId: delivery.sent.externalMessageId,
            error: null,
            updatedAt: sql`now()`,
          })
          .where(stillQueued);
      } else if (delivery.outcome === "failed") {
        await tx
          .update(staffNotices)
          .set({ status: "failed", error: delivery.error, updatedAt: sql`now()` })
          .where(stillQueued);
      }
    },
    async onFailure(event, error) {
      await db
        .update(staffNotices)
        .set({ error: describeError(error), updatedAt: sql`now()` })
        .where(and(eq(staffNotices.id, event.payload.notice_id), eq(staffNotices.status, "queued")));
    },
  };
}
