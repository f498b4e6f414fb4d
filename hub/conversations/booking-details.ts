// Booking details in a customer's own words: "table for 4 this Friday at 7pm", "tomorrow 8:30pm, 6 of us".
// Read with chrono-node's British English (03/04 is 3 April), relative to when the message arrived, in London time.
import * as chrono from "chrono-node";
import { fromLondonWall, isApiYear, londonOffsetMinutes } from "../core/time";

export interface BookingDetails {
  /** A day and a time of day both named; a day alone ("tomorrow evening") is no time to book. */
  requestedStartAt?: Date;
  partySize?: number;
  /** The words that named the time, for "we understood …". */
  timeText?: string;
}

const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
};
const COUNT = `(\\d{1,4}|${Object.keys(NUMBER_WORDS).join("|")})`;
/** Ways people say how many: "for 4", "party of six", "6 of us", "12 people", "4 pax". */
const PARTY = [
  new RegExp(`\\b(?:table|party|group|booking|room|space)\\s+(?:for|of)\\s+${COUNT}\\b`, "i"),
  new RegExp(`\\b${COUNT}\\s+(?:of us|people|persons?|guests?|pax|adults|diners)\\b`, "i"),
  new RegExp(
    `\\bfor\\s+${COUNT}\\b(?!\\s*(?:am|pm|:|\\.\\d|h\\b|o'?clock|minutes?|mins?|hours?|hrs?|nights?|days?|weeks?))`,
    "i",
  ),
];

/** Reads what the text says; what it does not say stays undefined. `at` is when the customer wrote it. */
export function readBookingDetails(text: string, at: Date): BookingDetails {
  // "19h30" is how much of Europe writes 19:30; chrono reads the colon.
  let rest = text.replace(/\b(\d{1,2})h(\d{2})\b/g, "$1:$2");
  const details: BookingDetails = {};
  // The party first, and taken out: chrono would read the 12 of "space for 12 on 1/7" as a time.
  for (const pattern of PARTY) {
    const match = pattern.exec(rest);
    if (!match) continue;
    const size = NUMBER_WORDS[match[1]!.toLowerCase()] ?? Number(match[1]);
    if (size < 1 || size > 1000) continue;
    details.partySize = size;
    rest = rest.replace(match[0], " ");
    break;
  }
  const found = chrono.en.GB.parse(rest, { instant: at, timezone: londonOffsetMinutes(at) }, { forwardDate: true });
  const when = found.find(
    (r) =>
      r.start.isCertain("hour") &&
      (r.start.isCertain("day") || r.start.isCertain("weekday")) &&
      // "in 2 hours", "for 2 hours": a length of time from now, not a time to book.
      !/^(in|for|within)\s/i.test(r.text),
  );
  // A year the API would refuse (31/12/9999) is no time to book either: the guided chat asks again.
  if (when && isApiYear(when.start.get("year")!)) {
    const s = when.start;
    // The fields, not chrono's instant: the wall time becomes an instant the way PostgreSQL resolves it.
    details.requestedStartAt = fromLondonWall({
      year: s.get("year")!,
      month: s.get("month")!,
      day: s.get("day")!,
      hour: s.get("hour")!,
      minute: s.get("minute") ?? 0,
      second: 0,
      millisecond: 0,
    });
    details.timeText = when.text;
  }
  return details;
}
