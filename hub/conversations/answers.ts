// Reading a customer's answers to the guided questions: a date and time (London), a party size, a service.
import { readBookingDetails } from "./booking-details";
import { formatLondonForPeople, isCalendarDate } from "../core/time";

export type Answer<T> = { ok: true; value: T } | { ok: false; problem: string };

const DAY_MONTH = /\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?\b/;

/**
 * A date and a time in the customer's words: `25/12/2026 19:30`, `25/12 7pm`, `this Friday at 7pm`, `tomorrow
 * 8:30pm`, read by chrono-node as British English (03/04 is 3 April) in London wall time (hub/time resolves clock
 * changes as PostgreSQL does); a date without a year is the next such day. Must lie ahead of `now`, within two years.
 */
export function parseRequestedStart(text: string, now: Date): Answer<Date> {
  const at = readBookingDetails(text, now).requestedStartAt;
  if (!at) {
    const dm = DAY_MONTH.exec(text);
    // 31/02: chrono finds nothing in a day that does not exist; say so rather than ask for the format.
    if (dm && !realDay(Number(dm[1]), Number(dm[2]), dm[3]))
      return { ok: false, problem: "That day does not exist; please check the date." };
    return { ok: false, problem: "Please write a date and a time, e.g. 25/12/2026 19:30, 25/12 7pm or Friday 7pm." };
  }
  if (at <= now)
    return {
      ok: false,
      problem: `That is in the past (it is now ${formatLondonForPeople(now)}); please give a later date.`,
    };
  if (at.getTime() - now.getTime() > 2 * 366 * 86_400_000)
    return { ok: false, problem: "We take bookings up to two years ahead; please give an earlier date." };
  return { ok: true, value: at };
}

function realDay(day: number, month: number, year?: string): boolean {
  const y = year === undefined ? 2024 : year.length === 2 ? 2000 + Number(year) : Number(year); // 2024: 29/02 exists
  return isCalendarDate(y, month, day);
}

export function parsePartySize(text: string): Answer<number> {
  const match = /^(\d{1,4})(?:\s+(?:people|persons?|guests?|pax))?$/i.exec(text.trim());
  const size = match ? Number(match[1]) : (readBookingDetails(text, new Date(0)).partySize ?? NaN);
  return size >= 1 && size <= 1000
    ? { ok: true, value: size }
    : { ok: false, problem: "Please write the number of people, e.g. 4." };
}

export function parseService(text: string): Answer<string> {
  const service = text.trim();
  return service.length >= 1 && service.length <= 200
    ? { ok: true, value: service }
    : { ok: false, problem: "Please describe the service in a few words (at most 200 characters)." };
}

export const isSkip = (text: string) => /^(skip|-|no|not sure|n\/a)$/i.test(text.trim());
