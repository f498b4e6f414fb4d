// London time for the whole hub: the only module that names the zone (hard rule 8, design §7).
import { DateTime, IANAZone, Settings } from "luxon";
import { isApiYear, isCalendarDate } from "./calendar";

export const APP_TIME_ZONE = "Europe/London";
const london = IANAZone.create(APP_TIME_ZONE);

// Luxon must never fall back to the process's zone, and must never hand out an invalid DateTime silently.
Settings.defaultZone = london;
Settings.throwOnInvalid = true;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A London wall-clock reading, without any offset: what a person in London sees on the clock. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const HOUR_MS = 3_600_000;

/**
 * London's offset from UTC in minutes at an instant, as the zone database (through luxon's Intl lookup) has it.
 * Every intake reads and prints London time several times, and the Intl lookup is the slow part, so offsets are
 * kept per UTC hour: London changes its offset on the hour, so one lookup serves a whole hour of instants. An hour
 * whose two ends differ (a change inside the hour: none since 1847) is never kept and is looked up every time.
 */
const offsetByHour = new Map<number, number | null>();
function londonOffset(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let kept = offsetByHour.get(hour);
  if (kept === undefined) {
    const atStart = london.offset(hour * HOUR_MS);
    kept = atStart === london.offset(hour * HOUR_MS + HOUR_MS - 1) ? atStart : null;
    if (offsetByHour.size >= 100_000) offsetByHour.clear(); // years of distinct hours: only a bulk import gets here
    offsetByHour.set(hour, kept);
  }
  return kept ?? london.offset(ms);
}

function validMs(at: Date): number {
  const ms = at.getTime();
  // Luxon reads NaN as an invalid DateTime rather than an error, and so would the arithmetic below.
  if (Number.isNaN(ms)) throw new RangeError("not a valid instant (Invalid Date)");
  return ms;
}

/** London's offset from UTC in minutes at an instant: 0 in winter, 60 in summer. */
export function londonOffsetMinutes(at: Date): number {
  return londonOffset(validMs(at));
}

/** The instant shifted by London's offset, so that its UTC fields read London's wall clock (as luxon does it). */
function wallClock(at: Date): { shifted: Date; offset: number } {
  const ms = validMs(at);
  const offset = londonOffset(ms);
  return { shifted: new Date(ms + offset * MINUTE_MS), offset };
}

function inLondon(at: Date): DateTime {
  return DateTime.fromMillis(validMs(at), { zone: london });
}

/** The London wall-clock reading at an instant. */
export function toLondonWall(at: Date): WallTime {
  const { shifted } = wallClock(at);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
  };
}

/**
 * The instant of a London wall-clock reading, resolved as PostgreSQL resolves `timestamp … AT TIME ZONE`:
 * a reading in the spring gap keeps the offset from before the change (so 01:30 on the spring-forward day
 * is 01:30Z, shown as 02:30 BST); a reading in the autumn overlap takes the offset from after the change
 * (GMT, the later of the two instants). Luxon's own choice in the overlap depends on today's date, so the
 * candidates are worked out here from the zone's offsets a day either side.
 */
export function fromLondonWall(wall: WallTime): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  // London changes its offset at most once in any 48 hours, so these are the offsets before and after any change.
  const offsetBefore = londonOffset(asUtc - DAY_MS);
  const offsetAfter = londonOffset(asUtc + DAY_MS);
  const fits = (offset: number) => londonOffset(asUtc - offset * MINUTE_MS) === offset;
  if (fits(offsetAfter)) return new Date(asUtc - offsetAfter * MINUTE_MS); // unambiguous, or the overlap's later reading
  if (fits(offsetBefore)) return new Date(asUtc - offsetBefore * MINUTE_MS);
  return new Date(asUtc - offsetBefore * MINUTE_MS); // the gap: the clock had not yet moved
}

/** The instant of a London wall time `HH:MM` on a date `YYYY-MM-DD`, resolved as fromLondonWall resolves it. */
export function atLondon(date: string, time: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return fromLondonWall({ year, month, day, hour, minute, second: 0, millisecond: 0 });
}

/**
 * SLA deadline (hard rule 9): the arrival instant read as London wall time, plus the minutes on the wall
 * clock, turned back into an instant. Equal to PostgreSQL's
 * `((t AT TIME ZONE 'Europe/London') + make_interval(mins => m)) AT TIME ZONE 'Europe/London'`.
 */
export function addLondonWallMinutes(at: Date, minutes: number): Date {
  const wall = toLondonWall(at);
  // Adding to a UTC-built date moves the wall fields with no zone in play, as PostgreSQL's timestamp + interval does.
  const moved = new Date(
    Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) +
      minutes * MINUTE_MS,
  );
  return fromLondonWall({
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: moved.getUTCHours(),
    minute: moved.getUTCMinutes(),
    second: moved.getUTCSeconds(),
    millisecond: moved.getUTCMilliseconds(),
  });
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an API datetime: ISO 8601 with a date and a time. With an offset (or Z) it is that instant;
 * without one it is London wall time. Returns undefined when the text is not such a datetime, names
 * a day or time that does not exist (2026-02-30, 24:00), or a year outside API_YEARS (1900-2100). The one
 * parser of every datetime the API takes; parseApiDate (calendar.ts) is its twin for dates alone.
 */
export function parseApiDateTime(text: string): Date | undefined {
  const match = ISO_DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = "0", fraction = "", offset] = match;
  const wall: WallTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h),
    minute: Number(mi),
    second: Number(s),
    millisecond: Number(fraction.padEnd(3, "0").slice(0, 3)),
  };
  if (!isRealCalendarTime(wall)) return undefined;
  if (offset === undefined) return fromLondonWall(wall);
  const minutes = offsetMinutes(offset);
  if (minutes === undefined) return undefined;
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  const instant = new Date(asUtc - minutes * MINUTE_MS);
  // The years are London's: an offset can carry 2100-12-31T23:00-05:00 into 2101 there.
  return isApiInstant(instant) ? instant : undefined;
}

/** Whether an instant falls in London in the years the API takes (API_YEARS), as every datetime it took does. */
export const isApiInstant = (at: Date): boolean => isApiYear(toLondonWall(at).year);

/** The offset in minutes; undefined when it is out of range (real offsets lie within ±18:00). */
function offsetMinutes(offset: string): number | undefined {
  if (offset === "Z" || offset === "z") return 0;
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || "0");
  if (minutes > 59 || hours * 60 + minutes > 18 * 60) return undefined;
  return sign * (hours * 60 + minutes);
}

function isRealCalendarTime(wall: WallTime): boolean {
  return (
    isApiYear(wall.year) &&
    isCalendarDate(wall.year, wall.month, wall.day) &&
    wall.hour <= 23 &&
    wall.minute <= 59 &&
    wall.second <= 59
  );
}

/** ISO 8601 with the London offset, e.g. `2026-07-01T10:00:00.000+01:00`: how every datetime leaves the API. */
export function formatLondon(at: Date): string {
  const { shifted, offset } = wallClock(at);
  // Luxon prints what this does not cover: years outside 1000-9999 and offsets of odd seconds (London before 1847).
  if (!Number.isInteger(offset) || shifted.getUTCFullYear() < 1000 || shifted.getUTCFullYear() > 9999) {
    return inLondon(at).toISO({ suppressMilliseconds: false })!;
  }
  const sign = offset < 0 ? "-" : "+";
  const zone = `${sign}${pad2(Math.floor(Math.abs(offset) / 60))}:${pad2(Math.abs(offset) % 60)}`;
  // The shifted instant's ISO text is the wall clock with a "Z"; the London offset replaces it.
  return `${shifted.toISOString().slice(0, 23)}${zone}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** How a person reads a London time in a chat: `Fri 27 Nov 2026, 14:30 GMT` (BST in summer). */
export function formatLondonForPeople(at: Date): string {
  return inLondon(at).setLocale("en-GB").toFormat("ccc d LLL yyyy, HH:mm ZZZZ");
}

/** The London wall clock of an instant, `14:30`, or `01:30 BST` with the zone: for a day a page names already. */
export function formatLondonClock(at: Date, options: { zone?: boolean } = {}): string {
  return inLondon(at)
    .setLocale("en-GB")
    .toFormat(options.zone ? "HH:mm ZZZZ" : "HH:mm");
}

/** The London calendar date of an instant, `YYYY-MM-DD`: the day reports file it under. */
export function londonDate(at: Date): string {
  const { shifted } = wallClock(at);
  const year = shifted.getUTCFullYear();
  if (year < 1000 || year > 9999) return inLondon(at).toISODate()!;
  return shifted.toISOString().slice(0, 10);
}

/** True when the zone a setting names is the hub's zone. */
export function isAppTimeZone(name: string): boolean {
  return name === APP_TIME_ZONE;
}
