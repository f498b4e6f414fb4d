// The guided questions every chat asks after a first message: only those its words did not already answer.
import type { Database } from "../../db/client";
import { updateInquiryDetails } from "../inquiries";
import type { TemplateKey } from "../templates";
import { formatLondonForPeople } from "../core/time";
import { parsePartySize, parseRequestedStart, parseService, type Answer } from "./answers";

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

/** How each question's answer is read. */
export const PARSERS: {
  [Q in Question]: (
    text: string,
    now: Date,
  ) => Answer<Q extends "when" ? Date : Q extends "party_size" ? number : string>;
} = {
  when: parseRequestedStart,
  party_size: (text) => parsePartySize(text),
  service: (text) => parseService(text),
};

/** Saves an answer on the inquiry (audited) and says how it reads back: "Fri 4 Dec 2026, 19:00 GMT", "4 people". */
export async function saveAnswer(
  db: Database,
  inquiryId: string,
  question: Question,
  value: Date | number | string,
): Promise<string> {
  if (question === "when") {
    await updateInquiryDetails(db, inquiryId, { requestedStartAt: value as Date });
    return formatLondonForPeople(value as Date);
  }
  if (question === "party_size") {
    await updateInquiryDetails(db, inquiryId, { partySize: value as number });
    return value === 1 ? "1 person" : `${value} people`;
  }
  await updateInquiryDetails(db, inquiryId, { service: value as string });
  return value as string;
}
