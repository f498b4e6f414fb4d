// The guided questions every chat asks after a first message: only those its words did not already answer.
import type { TemplateKey } from "../templates/defaults";
import { formatLondonForPeople } from "../time";

export interface KnownDetails {
  requestedStartAt: Date | null;
  partySize: number | null;
  service: string | null;
}

export type Question = "when" | "party_size" | "service";

/** The question templates; "when" rides in Telegram's acknowledgement itself (telegram.acknowledged). */
export const QUESTION_TEMPLATES: Record<Exclude<Question, "when">, TemplateKey> = {
  party_size: "telegram.ask_party_size",
  service: "telegram.ask_service",
};

export function missingQuestions(known: KnownDetails): Question[] {
  return [
    ...(known.requestedStartAt ? [] : (["when"] as const)),
    ...(known.partySize ? [] : (["party_size"] as const)),
    ...(known.service ? [] : (["service"] as const)),
  ];
}

/** "Fri 4 Dec 2026, 19:00 GMT, 4 people": what the customer's words were read as. */
export function understood(known: KnownDetails): string {
  return [
    known.requestedStartAt ? formatLondonForPeople(known.requestedStartAt) : undefined,
    known.partySize ? (known.partySize === 1 ? "1 person" : `${known.partySize} people`) : undefined,
    known.service ?? undefined,
  ]
    .filter(Boolean)
    .join(", ");
}
