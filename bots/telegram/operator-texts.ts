// How inquiries read in the operators' chat: one line each in lists, a short card for one; times in London.
import { type InquiryRecord, inquiryReference } from "../../hub/pipeline";
import { slaStatus } from "../../hub/sla";
import { formatLondonForPeople } from "../../hub/core/time";

export const OPERATOR_HELP = [
  "Operator commands:",
  "/phone <phone> <duration> <result> [note] - log a phone call as an inquiry",
  "/queue - the open inquiries to take next, most pressing first",
  "/sla - inquiries past their reply deadline with no answer",
  "/inquiry <INQ-12 or id> - one inquiry",
  "/take <INQ-12 or id> - make an inquiry yours; its customer's messages then come to you",
  "/reply <INQ-12 or id> <text> - answer the customer in their own chat",
  "Or reply (swipe, Reply) to a notice or a customer's message to answer them.",
  'Reply to a "Manual payment required" notice with a photo or PDF of the transfer, captioned, to file it as the proof.',
  "/notify on|off - notices of every new inquiry (on by default)",
  "/link <code> - link this Telegram account to another staff account",
  "/help - this list",
  "Times are London time.",
].join("\n");

const who = (i: InquiryRecord) => i.client.name ?? i.client.phone ?? i.client.email ?? "unknown client";

/** "in 12 min", "in 2 h 5 min", "8 min overdue". */
export function timeToDeadline(deadline: Date, now: Date): string {
  const minutes = Math.floor(Math.abs(deadline.getTime() - now.getTime()) / 60_000);
  const span = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return deadline.getTime() >= now.getTime() ? `in ${span}` : `${span} overdue`;
}

export function queueLine(i: InquiryRecord, now: Date): string {
  const taken = i.assigneeId ? " · taken" : "";
  return `${inquiryReference(i.number)} · ${i.source} · ${i.status}${taken} · due ${formatLondonForPeople(i.slaDeadlineAt)} (${timeToDeadline(i.slaDeadlineAt, now)}) · ${who(i)}`;
}

export function breachLine(i: InquiryRecord, now: Date): string {
  return `${inquiryReference(i.number)} · ${i.source} · due ${formatLondonForPeople(i.slaDeadlineAt)} · ${timeToDeadline(i.slaDeadlineAt, now)} · ${who(i)}`;
}

export function inquiryCard(i: InquiryRecord, now: Date): string {
  const lines: [string, string | number | null | undefined][] = [
    ["Source", i.source],
    ["Status", i.status],
    ["Client", [i.client.name, i.client.phone, i.client.email].filter(Boolean).join(", ") || "unknown"],
    ["Received", formatLondonForPeople(i.receivedAt)],
    ["Reply due", formatLondonForPeople(i.slaDeadlineAt)],
    ["SLA", slaStatus(i, now).replaceAll("_", " ")],
    ["First response", i.firstResponseAt ? formatLondonForPeople(i.firstResponseAt) : undefined],
    ["Taken", i.assigneeId ? "yes" : "no"],
    ["Priority", i.priority],
    ["Wants", i.requestedStartAt ? formatLondonForPeople(i.requestedStartAt) : undefined],
    ["Party size", i.partySize],
    ["Service", i.service],
    ["Partner", i.partnerCode],
    ["Call", i.callResult ? `${i.callResult}, ${Math.round((i.durationSeconds ?? 0) / 6) / 10} min` : undefined],
    ["Message", i.message],
  ];
  return [
    inquiryReference(i.number),
    ...lines
      .filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([label, value]) => `${label}: ${value}`),
  ].join("\n");
}
