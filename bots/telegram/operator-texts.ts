// How inquiries read in the operators' chat: one line each in lists, a short card for one; times in London.
import type { InquiryRecord } from "../../hub/pipeline/inquiry-record";
import { inquiryReference } from "../../hub/pipeline/inquiry-record";
import { formatLondonForPeople } from "../../hub/time";

export const OPERATOR_HELP = [
  "Operator commands:",
  "/phone <phone> <duration> <result> [note] - log a phone call as an inquiry",
  "/queue - the open inquiries to take next, by priority",
  "/sla - inquiries past their reply deadline",
  "/inquiry <INQ-number> - one inquiry",
  "/link <code> - link this Telegram account to another staff account",
  "/help - this list",
  "Times are London time.",
].join("\n");

const who = (i: InquiryRecord) => i.client.name ?? i.client.phone ?? i.client.email ?? "unknown client";

export function queueLine(i: InquiryRecord): string {
  return `${inquiryReference(i.number)} · ${i.source} · ${i.status} · priority ${i.priority} · due ${formatLondonForPeople(i.slaDeadlineAt)} · ${who(i)}`;
}

export function breachLine(i: InquiryRecord, now: Date): string {
  const minutes = Math.floor((now.getTime() - i.slaDeadlineAt.getTime()) / 60_000);
  const overdue = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `${inquiryReference(i.number)} · ${i.source} · due ${formatLondonForPeople(i.slaDeadlineAt)} · ${overdue} overdue · ${who(i)}`;
}

export function inquiryCard(i: InquiryRecord): string {
  const lines: [string, string | number | null | undefined][] = [
    ["Source", i.source],
    ["Status", i.status],
    ["Client", [i.client.name, i.client.phone, i.client.email].filter(Boolean).join(", ") || "unknown"],
    ["Received", formatLondonForPeople(i.receivedAt)],
    ["Reply due", formatLondonForPeople(i.slaDeadlineAt)],
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
    ...lines.filter(([, value]) => value !== null && value !== undefined && value !== "").map(([label, value]) => `${label}: ${value}`),
  ].join("\n");
}
