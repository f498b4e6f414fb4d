// The notices staff get in Telegram: a new inquiry, a customer's next message, a breach, an escalation, a customer's
// own cancellation.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, messages, resources, users } from "../../db/schema";
import type { Subscriber } from "../core/events/bus";
import type { HubEventType } from "../core/events/types";
import { findInquiry } from "../inquiries";
import type { InquiryRecord } from "../pipeline";
import { queueStaffNotices } from "./queue-notice";
import { assigneeOrNotified, linkedManagers, notifiedStaff } from "./recipients";
import {
  breachNotice,
  customerCancellationNotice,
  customerMessageNotice,
  escalationNotice,
  newInquiryNotice,
} from "./texts";

export interface StaffNoticeDeps {
  /** Staff are reached through the Telegram bot: with it off, no notice is queued. */
  telegramConnected: () => boolean;
}

async function inquiryOf(tx: Executor, inquiryId: string): Promise<InquiryRecord> {
  const inquiry = await findInquiry(tx, inquiryId);
  if (!inquiry) throw new Error(`inquiry ${inquiryId} of an event is not in the database`);
  return inquiry;
}

function staffSubscriber<T extends HubEventType>(
  deps: StaffNoticeDeps,
  name: string,
  type: T,
  handle: Subscriber<T>["handle"],
): Subscriber<T> {
  return { name, type, wants: () => deps.telegramConnected(), handle };
}

export const notifyNewInquiry = (deps: StaffNoticeDeps) =>
  staffSubscriber(deps, "staff.notify_new_inquiry", "inquiry.created", async (event, tx) => {
    const inquiry = await inquiryOf(tx, event.payload.inquiry_id);
    // The operator who logged a phone call knows of it already.
    const recipients = (await notifiedStaff(tx)).filter((r) => r.id !== inquiry.operatorId);
    await queueStaffNotices(tx, recipients, {
      inquiryId: inquiry.id,
      kind: "new_inquiry",
      body: newInquiryNotice(inquiry),
    });
  });

/** A customer's later message goes to whoever took the inquiry, or to every notified operator while nobody has. */
export const relayCustomerMessage = (deps: StaffNoticeDeps) =>
  staffSubscriber(deps, "staff.relay_customer_message", "message.received", async (event, tx) => {
    const inquiry = await inquiryOf(tx, event.payload.inquiry_id);
    const [message] = await tx
      .select({ body: messages.body })
      .from(messages)
      .where(eq(messages.id, event.payload.message_id));
    if (!message) return;
    await queueStaffNotices(tx, await assigneeOrNotified(tx, inquiry.assigneeId), {
      inquiryId: inquiry.id,
      kind: "customer_message",
      body: customerMessageNotice(inquiry, message.body),
    });
  });

export const notifyBreach = (deps: StaffNoticeDeps) =>
  staffSubscriber(deps, "staff.notify_sla_breach", "inquiry.sla_breached", async (event, tx) => {
    const inquiry = await inquiryOf(tx, event.payload.inquiry_id);
    await queueStaffNotices(tx, await assigneeOrNotified(tx, inquiry.assigneeId), {
      inquiryId: inquiry.id,
      kind: "sla_breached",
      body: breachNotice(inquiry),
    });
  });

export const notifyEscalation = (deps: StaffNoticeDeps) =>
  staffSubscriber(deps, "staff.notify_sla_escalation", "inquiry.sla_escalated", async (event, tx) => {
    const inquiry = await inquiryOf(tx, event.payload.inquiry_id);
    const [assignee] = inquiry.assigneeId
      ? await tx.select({ name: users.name }).from(users).where(eq(users.id, inquiry.assigneeId))
      : [];
    await queueStaffNotices(tx, await linkedManagers(tx), {
      inquiryId: inquiry.id,
      kind: "sla_escalated",
      body: escalationNotice(inquiry, assignee?.name ?? null),
    });
  });

/**
 * A customer cancelled their booking themselves (in their chat, or on the booking page): told as a new inquiry is, to
 * every notified operator, and to whoever took the inquiry. Its time is free again, and a paid deposit refunded or
 * kept as the policy said.
 */
export const notifyCustomerCancellation = (deps: StaffNoticeDeps): Subscriber<"booking.cancelled"> => ({
  name: "staff.notify_customer_cancellation",
  type: "booking.cancelled",
  wants: (event) => event.payload.by_customer === true && deps.telegramConnected(),
  async handle(event, tx) {
    const inquiry = await inquiryOf(tx, event.payload.inquiry_id);
    const [booking] = await tx
      .select({ startsAt: bookings.startsAt, reason: bookings.cancelReason, resource: resources.name })
      .from(bookings)
      .innerJoin(resources, eq(resources.id, bookings.resourceId))
      .where(eq(bookings.id, event.payload.booking_id));
    if (!booking) return;
    const recipients = await notifiedStaff(tx);
    for (const r of inquiry.assigneeId ? await assigneeOrNotified(tx, inquiry.assigneeId) : [])
      if (!recipients.some((known) => known.id === r.id)) recipients.push(r);
    await queueStaffNotices(tx, recipients, {
      inquiryId: inquiry.id,
      kind: "booking_cancelled",
      body: customerCancellationNotice(inquiry, { reference: event.payload.reference, ...booking }),
    });
  },
});
