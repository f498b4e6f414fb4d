// Sends queued messages through their channel: one `message.queued` event, one send, retried with the job's backoff.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { inquiries, messages, tasks } from "../../db/schema";
import { ChannelSendError, type ChannelRegistry, type SentMessage } from "../../channels/adapter";
import type { Subscriber } from "../core/events/bus";
import { applyEarlyReceipts } from "./delivery-status";
import { HopelessJobError, describeError } from "../core/jobs/driver";
import type { Observer } from "../core/observe";
import { inquiryReference } from "../pipeline";
import { recordFirstResponse } from "../sla";

/** What the send came to, recorded in the subscriber's transaction. */
type Delivery =
  | { outcome: "nothing" }
  | { outcome: "sent"; sent: SentMessage }
  | { outcome: "failed"; error: string }
  | { outcome: "withheld"; hours: number };

export function deliverMessages(
  db: Database,
  channels: ChannelRegistry,
  now: () => Date,
  observe: Observer,
): Subscriber<"message.queued", Delivery> {
  return {
    name: "conversations.deliver",
    type: "message.queued",
    // The send runs with no transaction open: a slow channel API must not hold a database connection.
    async perform(event) {
      const [message] = await db.select().from(messages).where(eq(messages.id, event.payload.message_id));
      if (message?.status !== "queued") return { outcome: "nothing" }; // sent already, or withheld
      const adapter = channels[message.source];
      if (!adapter.send)
        throw new HopelessJobError(`the ${message.source} channel has no chat to send message ${message.id} to`);
      const outbound = {
        id: message.id,
        chatId: message.externalChatId,
        text: message.body,
        actions: message.actions ?? undefined,
      };
      const counted = (delivery: Delivery) => {
        if (delivery.outcome !== "nothing") observe.messageDelivery(message.source, delivery.outcome);
        return delivery;
      };
      try {
        const window = adapter.replyWindow;
        if (window && !(await insideWindow(db, message, window.hours, now()))) {
          if (!window.reopen) return counted({ outcome: "withheld", hours: window.hours });
          const [{ number }] = (await db
            .select({ number: inquiries.number })
            .from(inquiries)
            .where(eq(inquiries.id, message.inquiryId))) as [{ number: number }];
          return counted({
            outcome: "sent",
            sent: await window.reopen(outbound, { reference: inquiryReference(number) }),
          });
        }
        return counted({ outcome: "sent", sent: await adapter.send(outbound) });
      } catch (error) {
        // Trying again cannot help: the message is failed for good, and the job ends here.
        if (error instanceof ChannelSendError && !error.retryable)
          return counted({ outcome: "failed", error: describeError(error) });
        observe.messageDelivery(message.source, "retry");
        throw error;
      }
    },
    async handle(event, tx, delivery) {
      // Only a message still queued changes: a status receipt or an operator may have moved it meanwhile.
      const stillQueued = and(eq(messages.id, event.payload.message_id), eq(messages.status, "queued"));
      switch (delivery.outcome) {
        case "nothing":
          return;
        case "sent": {
          const [sent] = await tx
            .update(messages)
            .set({
              status: "sent",
              externalMessageId: delivery.sent.externalMessageId,
              raw: delivery.sent.raw ?? null,
              error: null,
              updatedAt: sql`now()`,
            })
            .where(stillQueued)
            .returning({ source: messages.source, inquiryId: messages.inquiryId, authorId: messages.authorId });
          if (!sent) return;
          // A receipt may have come while the send was on its way back.
          await applyEarlyReceipts(tx, sent.source, delivery.sent.externalMessageId);
          // A person's words reaching the chat answer the customer; the hub's automated messages do not.
          if (sent.authorId) await recordFirstResponse(tx, sent.inquiryId, now(), "message");
          return;
        }
        case "failed":
          await tx
            .update(messages)
            .set({ status: "failed", error: delivery.error, updatedAt: sql`now()` })
            .where(stillQueued);
          return;
        case "withheld":
          return withhold(tx, event.payload.message_id, delivery.hours);
      }
    },
    // The send will be tried again; meanwhile the conversation shows why it has not gone yet.
    async onFailure(event, error) {
      await db
        .update(messages)
        .set({ error: describeError(error), updatedAt: sql`now()` })
        .where(and(eq(messages.id, event.payload.message_id), eq(messages.status, "queued")));
    },
  };
}

/** Whether the customer wrote to this chat within the last `hours`. */
async function insideWindow(
  db: Executor,
  message: typeof messages.$inferSelect,
  hours: number,
  now: Date,
): Promise<boolean> {
  const [last] = await db
    .select({ sentAt: messages.sentAt })
    .from(messages)
    .where(
      and(
        eq(messages.source, message.source),
        eq(messages.externalChatId, message.externalChatId),
        eq(messages.direction, "inbound"),
      ),
    )
    .orderBy(desc(messages.sentAt))
    .limit(1);
  return !!last && now.getTime() - last.sentAt.getTime() < hours * 3600_000;
}

async function withhold(tx: Executor, messageId: string, hours: number): Promise<void> {
  const reason = `The customer last wrote more than ${hours} hours ago and no reopening template is configured; answer them yourself.`;
  const [message] = await tx
    .update(messages)
    .set({ status: "withheld", error: reason, updatedAt: sql`now()` })
    .where(and(eq(messages.id, messageId), eq(messages.status, "queued")))
    .returning();
  if (!message) return;
  await tx.insert(tasks).values({
    type: "message.withheld",
    title: `Reply to the customer yourself: ${message.source} message not sent`,
    inquiryId: message.inquiryId,
    payload: { message_id: message.id, body: message.body, reason },
  });
}
