// Business hours: open periods per week day in London wall time, and the SLA clock that counts only their minutes,
// skipping closed dates (holidays). Pure: no database and no clock of its own, so it is tested alone.
import { z } from "@hono/zod-openapi";
import type { BusinessPeriod, SlaClock } from "../../db/schema";
import type { FieldError } from "../core/errors";
import {
  addDays,
  fromLondonWall,
  londonDate,
  londonOffsetMinutes,
  toLondonWall,
  type WallTime,
  weekDayOf,
} from "../core/time";

export type { BusinessPeriod };

export const BUSINESS_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

const HH_MM = "([01]\\d|2[0-3]):[0-5]\\d";

export const BusinessPeriodSchema = z
  .object({
    day: z.enum(BUSINESS_DAYS, { error: "must be one of mon, tue, wed, thu, fri, sat, sun" }),
    opens: z.string().regex(new RegExp(`^${HH_MM}$`), "must be a London wall time HH:MM, 00:00 to 23:59"),
    closes: z
      .string()
      .regex(new RegExp(`^(${HH_MM}|24:00)$`), "must be a London wall time HH:MM, or 24:00 for the day's end"),
  })
  .strict()
  .openapi("BusinessPeriod", { example: { day: "mon", opens: "09:00", closes: "13:00" } });

/** More than this many periods a day is no shift pattern but a mistake. */
export const MAX_PERIODS_PER_DAY = 10;

/**
 * A business-hours deadline must fall within four weeks of open time: a walk past that would be a promise nobody
 * means, and it keeps the walk over the calendar short.
 */
export const MAX_WEEKS_OF_OPEN_TIME = 4;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A walk over more days than this means the closed dates cover the calendar: refused rather than looped on. */
const MAX_DAYS_WALKED = 3660;

/** `09:30` → 570; `24:00`, a closing at the day's end, → 1440. */
export const minuteOfDay = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export interface OpenInterval {
  start: Date;
  end: Date;
}

/**
 * The periods open on a London date, as instants, earliest first; none on a closed date. A time of day is the first
 * instant the London clock reads it: a time the spring change skips (01:30) is the moment of the jump, a time the
 * autumn change repeats is its first pass (BST). So a period counts the real minutes it is open.
 */
export function openPeriodsOn(
  date: string,
  hours: readonly BusinessPeriod[],
  closed: ReadonlySet<string>,
): OpenInterval[] {
  if (closed.has(date)) return [];
  const day = weekDayOf(date);
  return hours
    .filter((p) => p.day === day)
    .map((p) => ({ start: clockInstant(date, minuteOfDay(p.opens)), end: clockInstant(date, minuteOfDay(p.closes)) }))
    .filter((i) => i.end.getTime() > i.start.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * The instant `minutes` open minutes after `from`: open time is counted from `from` (or from the next opening, if
 * closed then) across periods, days and closed dates. A deadline that uses up a period exactly is its closing.
 */
export function addOpenMinutes(
  from: Date,
  minutes: number,
  hours: readonly BusinessPeriod[],
  closed: ReadonlySet<string>,
): Date {
  let remaining = minutes * MINUTE_MS;
  let date = londonDate(from);
  // A period never runs past its own day's end, so none before from's London date can still be open.
  for (let walked = 0; walked < MAX_DAYS_WALKED; walked++, date = addDays(date, 1)) {
    for (const period of openPeriodsOn(date, hours, closed)) {
      const opens = Math.max(period.start.getTime(), from.getTime());
      const available = period.end.getTime() - opens;
      if (available <= 0) continue;
      if (remaining <= available) return new Date(opens + remaining);
      remaining -= available;
    }
  }
  throw new Error(
    `no ${minutes} open minutes within ${MAX_DAYS_WALKED} days of ${from.toISOString()}: the business hours have too few open minutes or the holidays close every open day`,
  );
}

/** The open minutes (real ones, fractional) between two instants. */
export function openMinutesBetween(
  from: Date,
  to: Date,
  hours: readonly BusinessPeriod[],
  closed: ReadonlySet<string>,
): number {
  let total = 0;
  const last = londonDate(to);
  for (let date = londonDate(from); date <= last; date = addDays(date, 1)) {
    for (const period of openPeriodsOn(date, hours, closed)) {
      const overlap = Math.min(period.end.getTime(), to.getTime()) - Math.max(period.start.getTime(), from.getTime());
      if (overlap > 0) total += overlap;
    }
  }
  return total / MINUTE_MS;
}

/** The open minutes of an ordinary week, on the wall clock. */
export const weeklyOpenMinutes = (hours: readonly BusinessPeriod[]): number =>
  hours.reduce((sum, p) => sum + minuteOfDay(p.closes) - minuteOfDay(p.opens), 0);

/**
 * What is wrong with a policy's clock and hours, field by field (empty: nothing). The business clock needs a period;
 * the wall clock takes none. Each period opens before it closes (one past midnight is two: …–24:00, then 00:00–… on
 * the next day), no two of a day overlap (touching is fine), and the deadline falls within four weeks of open time.
 */
export function businessHoursProblems(
  clock: SlaClock,
  hours: readonly BusinessPeriod[],
  deadlineMinutes: number,
): FieldError[] {
  if (clock === "wall") {
    return hours.length === 0
      ? []
      : [{ field: "business_hours", message: 'apply only with clock "business"; leave them out for the wall clock' }];
  }
  if (hours.length === 0) {
    return [{ field: "business_hours", message: 'must have at least one open period with clock "business"' }];
  }
  const problems: FieldError[] = [];
  hours.forEach((p, i) => {
    if (minuteOfDay(p.closes) <= minuteOfDay(p.opens)) {
      problems.push({
        field: `business_hours.${i}.closes`,
        message: `must be after opens (${p.opens}); a period past midnight is two: ${p.opens}–24:00, and 00:00–${p.closes} on the next day`,
      });
    }
  });
  for (const day of BUSINESS_DAYS) {
    const ofDay = hours.map((p, i) => ({ p, i })).filter(({ p }) => p.day === day);
    if (ofDay.length > MAX_PERIODS_PER_DAY) {
      problems.push({
        field: "business_hours",
        message: `has ${ofDay.length} periods on ${day}; at most ${MAX_PERIODS_PER_DAY} a day`,
      });
    }
    ofDay.sort((a, b) => minuteOfDay(a.p.opens) - minuteOfDay(b.p.opens));
    for (let k = 1; k < ofDay.length; k++) {
      const before = ofDay[k - 1]!.p;
      const { p, i } = ofDay[k]!;
      if (minuteOfDay(p.opens) < minuteOfDay(before.closes)) {
        problems.push({
          field: `business_hours.${i}`,
          message: `overlaps ${day} ${before.opens}–${before.closes}`,
        });
      }
    }
  }
  const weekly = weeklyOpenMinutes(hours);
  if (problems.length === 0 && deadlineMinutes > MAX_WEEKS_OF_OPEN_TIME * weekly) {
    problems.push({
      field: "deadline_minutes",
      message: `is more than ${MAX_WEEKS_OF_OPEN_TIME} weeks of open time (${weekly} open minutes a week): the deadline would fall more than a month away`,
    });
  }
  return problems;
}

/** The periods in a stable order (Monday first, then by opening), as stored and shown. */
export const sortedPeriods = (hours: readonly BusinessPeriod[]): BusinessPeriod[] =>
  hours
    .map(({ day, opens, closes }) => ({ day, opens, closes }))
    .sort(
      (a, b) =>
        BUSINESS_DAYS.indexOf(a.day) - BUSINESS_DAYS.indexOf(b.day) || minuteOfDay(a.opens) - minuteOfDay(b.opens),
    );

/** The first instant at which the London clock reads `minute` (0–1440) of `date`; see openPeriodsOn. */
function clockInstant(date: string, minute: number): Date {
  if (minute >= 24 * 60) return clockInstant(addDays(date, 1), minute - 24 * 60);
  const wall: WallTime = {
    year: Number(date.slice(0, 4)),
    month: Number(date.slice(5, 7)),
    day: Number(date.slice(8, 10)),
    hour: Math.floor(minute / 60),
    minute: minute % 60,
    second: 0,
    millisecond: 0,
  };
  // An ordinary reading; in the autumn overlap its later (GMT) pass; in the spring gap an instant after the jump.
  const resolved = fromLondonWall(wall);
  if (!reads(resolved, wall)) return changeBefore(resolved);
  const shift = londonOffsetMinutes(new Date(resolved.getTime() - DAY_MS)) - londonOffsetMinutes(resolved);
  if (shift > 0) {
    const firstPass = new Date(resolved.getTime() - shift * MINUTE_MS);
    if (reads(firstPass, wall)) return firstPass;
  }
  return resolved;
}

function reads(at: Date, wall: WallTime): boolean {
  const shown = toLondonWall(at);
  return (
    shown.year === wall.year &&
    shown.month === wall.month &&
    shown.day === wall.day &&
    shown.hour === wall.hour &&
    shown.minute === wall.minute
  );
}

/** The instant London's offset last changed at or before `after`, within a day: the spring jump over a gap reading. */
function changeBefore(after: Date): Date {
  const offsetAfter = londonOffsetMinutes(after);
  let lo = after.getTime() - DAY_MS; // still on the old offset: London changes at most once in a day
  let hi = after.getTime();
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (londonOffsetMinutes(new Date(mid)) === offsetAfter) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}
