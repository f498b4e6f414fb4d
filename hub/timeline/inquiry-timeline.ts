// An inquiry's story in one list: its arrival and SLA, what staff and the system did to it, its bookings and their
// payments and reminders, the contacts logged. Read from the audit log and the rows themselves; GET
// /inquiries/{id}/timeline and the console's inquiry page show the same list.
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/client";
import { auditLog, bookingReminders, bookings, inquiryContacts, payments, users } from "../../db/schema";
import { bookingReference } from "../core/references";
import { formatMoney } from "../bookings";
import { getInquiry } from "../inquiries";
import { minorAmount } from "../../payments";

export const TIMELINE_KINDS = ["inquiry", "sla", "booking", "payment", "contact"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineItem {
  at: Date;
  kind: TimelineKind;
  /** What happened, as the audit log names it (`booking.confirmed`), or `inquiry.received`, `sla.deadline`… */
  action: string;
  summary: string;
  /** Who did it; null when the customer or the system did. */
  actor: { id: string; name: string } | null;
  /** Which kind of actor: a member of staff (then `actor`), the customer (a proof from their page, a reminder's
   * answer, their own cancellation, the lead itself), or the hub on its own. */
  by: "staff" | "customer" | "system";
  entity: { type: "inquiry" | "booking" | "payment"; id: string };
}

const words = (text: string) => text.replace(/_/g, " ");

/** `idOrReference` as a request names it; not_found when there is no such inquiry. */
export async function inquiryTimeline(
  db: Executor,
  idOrReference: string,
  options: { kind?: TimelineKind } = {},
): Promise<TimelineItem[]> {
  const inquiry = await getInquiry(db, idOrReference);
  const inquiryEntity = { type: "inquiry" as const, id: inquiry.id };

  const bookingRows = await db
    .select({ id: bookings.id, number: bookings.number })
    .from(bookings)
    .where(eq(bookings.inquiryId, inquiry.id));
  const bookingIds = bookingRows.map((b) => b.id);
  const paymentRows = bookingIds.length
    ? await db
        .select({
          id: payments.id,
          bookingId: payments.bookingId,
          providerName: payments.providerName,
          type: payments.type,
          amount: payments.amount,
          currency: payments.currency,
        })
        .from(payments)
        .where(inArray(payments.bookingId, bookingIds))
    : [];
  const reminderRows = bookingIds.length
    ? await db
        .select()
        .from(bookingReminders)
        .where(inArray(bookingReminders.bookingId, bookingIds))
        .orderBy(asc(bookingReminders.createdAt))
    : [];
  const bookingRef = new Map(bookingRows.map((b) => [b.id, bookingReference(b.number)]));
  const paymentOf = new Map(paymentRows.map((p) => [p.id, p]));

  const actor = alias(users, "actor");
  const entries = await db
    .select({
      at: auditLog.at,
      id: auditLog.id,
      action: auditLog.action,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      actorId: actor.id,
      actorName: actor.name,
      actorKind: auditLog.actorKind,
    })
    .from(auditLog)
    .leftJoin(actor, eq(actor.id, auditLog.actorId))
    .where(
      or(
        and(eq(auditLog.entityType, "inquiry"), eq(auditLog.entityId, inquiry.id)),
        bookingIds.length ? and(eq(auditLog.entityType, "booking"), inArray(auditLog.entityId, bookingIds)) : undefined,
        paymentRows.length
          ? and(
              eq(auditLog.entityType, "payment"),
              inArray(
                auditLog.entityId,
                paymentRows.map((p) => p.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));

  const contacts = await db
    .select({ contact: inquiryContacts, authorName: users.name })
    .from(inquiryContacts)
    .innerJoin(users, eq(users.id, inquiryContacts.authorId))
    .where(eq(inquiryContacts.inquiryId, inquiry.id))
    .orderBy(asc(inquiryContacts.createdAt));

  const items: TimelineItem[] = [
    {
      at: inquiry.receivedAt,
      kind: "inquiry",
      action: "inquiry.received",
      summary: `Received via ${words(inquiry.source)}`,
      actor: null,
      by: "customer",
      entity: inquiryEntity,
    },
    {
      at: inquiry.slaDeadlineAt,
      kind: "sla",
      action: "sla.deadline",
      summary: `SLA deadline: a first response within ${inquiry.slaDeadlineMinutes} min`,
      actor: null,
      by: "system",
      entity: inquiryEntity,
    },
  ];
  for (const { contact, authorName } of contacts) {
    items.push({
      at: contact.createdAt,
      kind: "contact",
      action: `contact.${contact.kind}`,
      summary: `${words(contact.kind)[0]!.toUpperCase()}${words(contact.kind).slice(1)} logged: ${contact.note}`,
      actor: { id: contact.authorId, name: authorName },
      by: "staff",
      entity: inquiryEntity,
    });
  }
  for (const reminder of reminderRows) {
    const reference = bookingRef.get(reminder.bookingId) ?? "A booking";
    const ahead = hoursBefore(reminder.minutesBefore);
    items.push({
      at: reminder.createdAt,
      kind: "booking",
      action: reminder.outcome === "sent" ? "booking.reminder_sent" : "booking.reminder_not_sent",
      summary:
        reminder.outcome === "sent"
          ? `${reference} reminder sent in the customer's chat, ${ahead} before the start`
          : `${reference}: no reminder could be sent ${ahead} before the start: the lead came via ${words(inquiry.source)}, without a chat`,
      actor: null,
      by: "system",
      entity: { type: "booking", id: reminder.bookingId },
    });
  }
  // After the contact or message that was the first response, when they share the instant.
  if (inquiry.firstResponseAt) {
    items.push({
      at: inquiry.firstResponseAt,
      kind: "sla",
      action: "sla.first_response",
      summary:
        inquiry.firstResponseAt <= inquiry.slaDeadlineAt
          ? "First response, within the SLA"
          : "First response, after the SLA deadline",
      actor: null,
      by: "system",
      entity: inquiryEntity,
    });
  }
  for (const entry of entries) {
    // The contact itself is on the list with its note.
    if (entry.action === "inquiry.contact_logged") continue;
    const who = entry.actorId ? { id: entry.actorId, name: entry.actorName ?? "" } : null;
    const by = who ? "staff" : entry.actorKind === "customer" ? "customer" : "system";
    if (entry.entityType === "booking") {
      const reference = bookingRef.get(entry.entityId) ?? "A booking";
      const reason = field(entry.after, "reason");
      items.push({
        at: entry.at,
        kind: "booking",
        action: entry.action,
        summary: `${reference} ${words(entry.action.replace(/^booking\./, ""))}${reason ? `: ${reason}` : ""}`,
        actor: who,
        by,
        entity: { type: "booking", id: entry.entityId },
      });
    } else if (entry.entityType === "payment") {
      const payment = paymentOf.get(entry.entityId);
      const what = payment
        ? `${bookingRef.get(payment.bookingId) ?? ""} ${payment.type} ${formatMoney(minorAmount(payment), payment.currency)} (${payment.providerName})`.trim()
        : "A payment";
      const note = field(entry.after, "reason") ?? field(entry.after, "note");
      items.push({
        at: entry.at,
        kind: "payment",
        action: entry.action,
        summary: `${what}: ${words(entry.action.replace(/^payment\./, ""))}${note ? ` (${note})` : ""}`,
        actor: who,
        by,
        entity: { type: "payment", id: entry.entityId },
      });
    } else {
      items.push({
        at: entry.at,
        kind: entry.action.startsWith("inquiry.sla_") ? "sla" : "inquiry",
        action: entry.action,
        summary: inquirySummary(entry.action, entry.before, entry.after),
        actor: who,
        by,
        entity: inquiryEntity,
      });
    }
  }
  // Stable: what happened at the same instant keeps the order it was recorded in.
  const ordered = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => a.item.at.getTime() - b.item.at.getTime() || a.i - b.i);
  return ordered.map(({ item }) => item).filter((item) => !options.kind || item.kind === options.kind);
}

/** 1440 → "24 h"; 90 → "1 h 30 min"; 30 → "30 min". */
function hoursBefore(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : "", m ? `${m} min` : ""].filter(Boolean).join(" ");
}

function field(value: unknown, name: string): string | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === "string" && found ? found : undefined;
}

function inquirySummary(action: string, before: unknown, after: unknown): string {
  switch (action) {
    case "inquiry.status_changed":
      return `Status ${words(field(before, "status") ?? "?")} → ${words(field(after, "status") ?? "?")}`;
    case "inquiry.assigned":
      return "Taken";
    case "inquiry.details_updated":
      return "Booking details updated";
    case "inquiry.sla_breached":
      return "SLA deadline passed with no response";
    case "inquiry.sla_escalated":
      return "Escalated to managers";
    default:
      return words(action.replace(/^inquiry\./, ""));
  }
}
