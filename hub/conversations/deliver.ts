// Sends queued messages through their channel: one `message.queued` event, one send, retried with the job's backoff.
import { and, desc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { inquiries, messages, tasks } from "../../db/schema";
import { ChannelSendError, type ChannelRegistry, type SentMessage } from "../../channels/adapter";
import type { Subscriber } from "../events/bus";
import { HopelessJobError, describeError } from "../jobs/driver";
import { inquiryReference } from "../pipeline/inquiry-record";

export function deliverMessages(db: Database, channels: ChannelRegistry, now: () => Date): Subscriber<"message.queued"> {
  return {
    name: "conversations.deliver",
    type: "message.queued",
    async handle(event, tx) {
      const [message] = await tx.select().from(messages).where(eq(messages.id, event.payload.message_id)).for("update");
      if (!message || message.status !== "queued") return; // sent already, or withheld: nothing to do
      const adapter = channels[message.source];
      if (!adapter.send) throw new HopelessJobError(`the ${message.source} channel has no chat to send message ${message.id} to`);
      const outbound = { id: message.id, chatId: message.externalChatId, text: message.body };

      let sent: SentMessage | undefined;
      try {
        const window = adapter.replyWindow;
        if (window && !(await insideWindow(tx, message, window.hours, now()))) {
          if (!window.reopen) return withhold(tx, message, window.hours);
          const [{ number }] = (await tx.select({ number: inquiries.number }).from(inquiries).where(eq(inquiries.id, message.inquiryId))) as [
            { number: number },
          ];
          sent = await window.reopen(outbound, { reference: inquiryReference(number) });
        } else {
          sent = await adapter.send(outbound);
        }
      } catch (error) {
        // Trying again cannot help: the message is failed for good, and the job ends here.
        if (error instanceof ChannelSendError && !error.retryable) {
          await tx.update(messages).set({ status: "failed", error: describeError(error), updatedAt: sql`now()` }).where(eq(messages.id, message.id));
          return;
        }
        throw error;
      }
      await tx
        .update(messages)
        .set({ status: "sent", externalMessageId: sent.externalMessageId, raw: sent.raw ?? null, error: null, updatedAt: sql`now()` })
        .where(eq(messages.id, message.id));
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
async function insideWindow(tx: Executor, message: typeof messages.$inferSelect, hours: number, now: Date): Promise<boolean> {
  const [last] = await tx
    .select({ sentAt: messages.sentAt })
    .from(messages)
    .where(and(eq(messages.source, message.source), eq(messages.externalChatId, message.externalChatId), eq(messages.direction, "inbound")))
    .orderBy(desc(messages.sentAt))
    .limit(1);
  return !!last && now.getTime() - last.sentAt.getTime() < hours * 3600_000;
}

async function withhold(tx: Executor, message: typeof messages.$inferSelect, hours: number): Promise<void> {
  const reason = `The customer last wrote more than ${hours} hours ago and no reopening template is configured; answer them yourself.`;
  await tx.update(messages).set({ status: "withheld", error: reason, updatedAt: sql`now()` }).where(eq(messages.id, message.id));
  await tx.insert(tasks).values({
    type: "message.withheld",
    title: `Reply to the customer yourself: ${message.source} message not sent`,
    inquiryId: message.inquiryId,
    payload: { message_id: message.id, body: message.body, reason },
  });
}
