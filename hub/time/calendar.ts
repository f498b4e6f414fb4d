// Calendar dates (`YYYY-MM-DD`) with no time of day and so no zone: whole-day steps, week days, real dates. Luxon in
// UTC does the arithmetic, so no caller reaches for Date's own getters. (london.ts makes Luxon throw on an invalid
// date, so validity is checked by the month's length, not by building the date.)
import { DateTime } from "luxon";

export const WEEK_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];

const day = (date: string) => DateTime.fromISO(date, { zone: "utc" });

/** `YYYY-MM-DD` plus whole days. */
export const addDays = (date: string, days: number): string => day(date).plus({ days }).toISODate()!;

export const weekDayOf = (date: string): WeekDay => WEEK_DAYS[day(date).weekday % 7]!;

/** Whether the day exists in that month and year (29 February only in a leap year). */
export const isCalendarDate = (year: number, month: number, dayOfMonth: number): boolean =>
  Number.isInteger(month) && month >= 1 && month <= 12 && Number.isInteger(dayOfMonth) && dayOfMonth >= 1 &&
  dayOfMonth <= DateTime.fromObject({ year, month, day: 1 }, { zone: "utc" }).daysInMonth!;
