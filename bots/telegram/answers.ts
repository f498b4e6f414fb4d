// Reading a customer's answers to the guided questions: a date and time (London), a party size, a service.
import { formatLondonForPeople, parseApiDateTime, toLondonWall } from "../../hub/time";

export type Answer<T> = { ok: true; value: T } | { ok: false; problem: string };

const pad = (n: number | string) => String(n).padStart(2, "0");
const DATE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DATE_UK = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$/;
const TIME = /^(\d{1,2})(?::|h)?(\d{2})?\s*(am|pm)?$/i;

/**
 * A date and a time in either order: `25/12/2026 19:30`, `25/12 7pm`, `2026-12-25 19:30`, `19:30 25.12`.
 * Read as London wall time (hub/time resolves clock changes as PostgreSQL does); a date without a year is the
 * next such day. Must lie ahead of `now` and within two years.
 */
export function parseRequestedStart(text: string, now: Date): Answer<Date> {
  const problem = "Please write a date and a time, e.g. 25/12/2026 19:30 or 25/12 7pm.";
  const parts = text.trim().toLowerCase().replace(/\s*(am|pm)\b/, "$1").split(/\s+|,\s*/).filter(Boolean);
  if (parts.length !== 2) return { ok: false, problem };
  const [first, second] = parts as [string, string];
  const [datePart, timePart] = isDate(first) ? [first, second] : [second, first];
  const date = readDate(datePart, now);
  const time = readTime(timePart);
  if (!date || !time) return { ok: false, problem };
  let at = parseApiDateTime(`${date.year}-${pad(date.month)}-${pad(date.day)}T${time}`);
  if (at && !date.yearGiven && at <= now) at = parseApiDateTime(`${date.year + 1}-${pad(date.month)}-${pad(date.day)}T${time}`);
  if (!at) return { ok: false, problem: "That day does not exist; please check the date." };
  if (at <= now) return { ok: false, problem: `That is in the past (it is now ${formatLondonForPeople(now)}); please give a later date.` };
  if (at.getTime() - now.getTime() > 2 * 366 * 86_400_000) return { ok: false, problem: "We take bookings up to two years ahead; please give an earlier date." };
  return { ok: true, value: at };
}

const isDate = (part: string) => DATE_ISO.test(part) || DATE_UK.test(part);

function readDate(part: string, now: Date): { year: number; month: number; day: number; yearGiven: boolean } | undefined {
  const iso = DATE_ISO.exec(part);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]), yearGiven: true };
  const uk = DATE_UK.exec(part);
  if (!uk) return undefined;
  const year = uk[3] === undefined ? toLondonWall(now).year : uk[3].length === 2 ? 2000 + Number(uk[3]) : Number(uk[3]);
  return { year, month: Number(uk[2]), day: Number(uk[1]), yearGiven: uk[3] !== undefined };
}

/** `19:30`, `1930`, `19h30`, `7pm`, `7:30pm`, as `HH:MM`; a bare hour is not a time (it could be a party size). */
function readTime(part: string): string | undefined {
  const match = TIME.exec(part);
  if (!match) return undefined;
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  const meridiem = match[3];
  if (!match[2] && !meridiem) return undefined; // a bare number is not a time
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (meridiem === "pm" ? 12 : 0);
  }
  return hour <= 23 && minute <= 59 ? `${pad(hour)}:${pad(minute)}` : undefined;
}

export function parsePartySize(text: string): Answer<number> {
  const match = /^(\d{1,4})(?:\s+(?:people|persons?|guests?|pax))?$/i.exec(text.trim());
  const size = match ? Number(match[1]) : NaN;
  return size >= 1 && size <= 1000 ? { ok: true, value: size } : { ok: false, problem: "Please write the number of people, e.g. 4." };
}

export function parseService(text: string): Answer<string> {
  const service = text.trim();
  return service.length >= 1 && service.length <= 200
    ? { ok: true, value: service }
    : { ok: false, problem: "Please describe the service in a few words (at most 200 characters)." };
}

export const isSkip = (text: string) => /^(skip|-|no|not sure|n\/a)$/i.test(text.trim());
