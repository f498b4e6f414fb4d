// Calendar dates (`YYYY-MM-DD`) with no time of day and so no zone: whole-day steps, week days, real dates. Luxon in
// UTC does the arithmetic, so no caller reaches for Date's own getters. (london.ts makes Luxon throw on an invalid
// date, so validity is checked by the month's length, not by building the date.)
import { DateTime } from "luxon";

export const WEEK_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

const day = (date: string) => DateTime.fromISO(date, { zone: "utc" });

/** `YYYY-MM-DD` plus whole days. */
export const addDays = (date: string, days: number): string => day(date).plus({ days }).toISODate()!;

/** `YYYY-MM-DD` plus whole calendar months; a day the month lacks becomes its last (31 March - 1 month: 28 or 29 Feb). */
export const addMonths = (date: string, months: number): string => day(date).plus({ months }).toISODate()!;

export const weekDayOf = (date: string): WeekDay => WEEK_DAYS[day(date).weekday % 7]!;

/** How a person reads a calendar date: `Friday 4 December 2026`. */
export const formatDateForPeople = (date: string): string => day(date).setLocale("en-GB").toFormat("cccc d LLLL yyyy");

/**
 * The years the API takes, inclusive. Before 1900, Date.UTC reads years 0-99 as 1900-1999; after 2100 nobody books,
 * and a window worked out from a date far on (the day around it, a booking's length) could run past year 9999,
 * which PostgreSQL refuses. From a date in these years every such window stays far inside PostgreSQL's range.
 */
export const API_YEARS = { first: 1900, last: 2100 } as const;

export const isApiYear = (year: number) => Number.isInteger(year) && year >= API_YEARS.first && year <= API_YEARS.last;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses an API calendar date, `YYYY-MM-DD` (a London day): the date itself, or undefined when it is not one,
 * names a day that does not exist (2027-02-29, 2027-04-31), or lies outside API_YEARS. parseApiDateTime's twin.
 */
export function parseApiDate(text: string): string | undefined {
  const match = ISO_DATE.exec(text.trim());
  if (!match) return undefined;
  const [year, month, dayOfMonth] = match.slice(1).map(Number) as [number, number, number];
  return isApiYear(year) && isCalendarDate(year, month, dayOfMonth) ? match[0] : undefined;
}

/** Whether the day exists in that month and year (29 February only in a leap year). */
export const isCalendarDate = (year: number, month: number, dayOfMonth: number): boolean =>
  Number.isInteger(month) &&
  month >= 1 &&
  month <= 12 &&
  Number.isInteger(dayOfMonth) &&
  dayOfMonth >= 1 &&
  dayOfMonth <= DateTime.fromObject({ year, month, day: 1 }, { zone: "utc" }).daysInMonth!;
