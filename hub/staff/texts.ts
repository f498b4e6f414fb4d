// How the hub's notices read in staff's Telegram: reference, source, client, what was said, deadlines in London time.
import type { InquirySource } from "../../db/schema";
import { inquiryReference, type InquiryRecord } from "../pipeline";
import { formatLondonForPeople } from "../core/time";
import { isChatSource } from "../conversations";
import { BY_CUSTOMER } from "../bookings";

const SOURCE_NAMES: Record<InquirySource, string> = {
  web_form: "web form",
  whatsapp: "WhatsApp",
  telegram: "Telegram",
  phone: "phone",
  partner: "partner",
};

export const sourceName = (i: Pick<InquiryRecord, "source" | "partnerCode">) =>
  i.source === "partner" && i.partnerCode ? `partner ${i.partnerCode}` : SOURCE_NAMES[i.source];

export const clientLine = (i: InquiryRecord) =>
  [i.client.name, i.client.phone, i.client.email].filter(Boolean).join(" · ") || "client not known yet";

/** What a reader of the notice can do next: answer by replying in Telegram, or contact the client another way. */
function howToAnswer(i: InquiryRecord): string {
  const reference = inquiryReference(i.number);
  if (isChatSource(i.source)) return `Reply to this message to answer in the customer's chat, or /take ${reference}.`;
  const ways = [i.client.phone && `call ${i.client.phone}`, i.client.email && `e-mail ${i.client.email}`]
    .filter(Boolean)
    .join(" or ");
  return `No chat to answer in: ${ways || "no contact details"}. /take ${reference} to make it yours.`;
}

export function newInquiryNotice(i: InquiryRecord): string {
  return [
    `New inquiry ${inquiryReference(i.number)} · ${sourceName(i)}`,
    clientLine(i),
    ...(i.message ? [`"${i.message}"`] : []),
    `Reply due by ${formatLondonForPeople(i.slaDeadlineAt)}`,
    howToAnswer(i),
  ].join("\n");
}

export function customerMessageNotice(i: InquiryRecord, body: string): string {
  return [
    `${inquiryReference(i.number)} · ${i.client.name ?? "customer"} (${sourceName(i)}):`,
    body,
    "",
    "Reply to this message to answer.",
  ].join("\n");
}

export function breachNotice(i: InquiryRecord): string {
  return [
    `SLA breached: ${inquiryReference(i.number)} (${sourceName(i)}) was due by ${formatLondonForPeople(i.slaDeadlineAt)} and nobody has answered.`,
    clientLine(i),
    howToAnswer(i),
  ].join("\n");
}

/** A booking the customer cancelled: what was freed, what became of the deposit (the reason says), who the client is. */
export function customerCancellationNotice(
  i: InquiryRecord,
  booking: { reference: string; resource: string; startsAt: Date; reason: string | null },
): string {
  return [
    `Cancelled by the customer: ${booking.reference} · ${inquiryReference(i.number)} · ${sourceName(i)}`,
    `${booking.resource}, ${formatLondonForPeople(booking.startsAt)} (London time): the time is free again.`,
    depositLine(booking.reason),
    clientLine(i),
    howToAnswer(i),
  ].join("\n");
}

/** The cancellation's reason after "cancelled by the customer": what the policy did to a paid deposit, if one was. */
function depositLine(reason: string | null): string {
  const clause = reason?.replace(new RegExp(`^${BY_CUSTOMER}(; )?`), "") ?? "";
  return clause ? `${clause[0]!.toUpperCase()}${clause.slice(1)}.` : "No deposit was paid.";
}

/** To the chat a staff account used before another Telegram account was linked to it: a move they may not have made. */
export const relinkedNotice = (at: Date) =>
  `This Telegram account no longer acts for your hub account: another Telegram account was linked to it at ${formatLondonForPeople(at)}. If you did not do this, tell an admin now.`;

export function escalationNotice(i: InquiryRecord, assigneeName: string | null): string {
  return [
    `Escalation: ${inquiryReference(i.number)} (${sourceName(i)}) is still unanswered; it was due by ${formatLondonForPeople(i.slaDeadlineAt)}.`,
    assigneeName ? `Taken by ${assigneeName}.` : "Nobody has taken it.",
    clientLine(i),
    howToAnswer(i),
  ].join("\n");
}
