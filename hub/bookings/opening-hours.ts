// A resource's opening hours as instants: London wall times per week day, a closing at or before the opening
// meaning the next day (18:00–01:00).
import { z } from "@hono/zod-openapi";
import type { OpeningHours } from "../../db/schema";
import { addDays, atLondon, dayBounds, weekDayOf } from "./calendar";

export interface Interval {
  start: Date;
  end: Date;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const OpeningHoursSchema = z
  .object({
    day: z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], {
      error: "must be one of mon, tue, wed, thu, fri, sat, sun",
    }),
    opens: z.string().regex(HH_MM, "must be a London wall time HH:MM, 00:00 to 23:59"),
    closes: z
      .string()
      .regex(HH_MM, "must be a London wall time HH:MM, 00:00 to 23:59; at or before opens means the next day"),
  })
  .strict()
  .openapi("OpeningHours");

/** The opening intervals that begin on a London day; with no hours at all, the whole day. */
export function intervalsStartingOn(hours: OpeningHours[], date: string): Interval[] {
  if (hours.length === 0) return [dayBounds(date)];
  const day = weekDayOf(date);
  return hours
    .filter((h) => h.day === day)
    .map((h) => ({
      start: atLondon(date, h.opens),
      end: atLondon(h.closes <= h.opens ? addDays(date, 1) : date, h.closes),
    }))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Every opening interval that may touch a window starting on `date`: the day before's can run past midnight. */
export function intervalsAround(hours: OpeningHours[], date: string): Interval[] {
  return [
    ...intervalsStartingOn(hours, addDays(date, -1)),
    ...intervalsStartingOn(hours, date),
    ...intervalsStartingOn(hours, addDays(date, 1)),
  ];
}

/**
 * Whether the window lies inside opening hours. Intervals that meet or overlap (Mon 18:00–01:00 and Tue 01:00–03:00,
 * or no hours at all, day after day) count as one.
 */
export function isOpenThroughout(hours: OpeningHours[], window: Interval, date: string): boolean {
  let reach = window.start.getTime();
  for (const interval of merged(intervalsAround(hours, date))) {
    if (interval.start.getTime() <= reach && interval.end.getTime() > reach) reach = interval.end.getTime();
    if (reach >= window.end.getTime()) return true;
  }
  return false;
}

function merged(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start.getTime() <= last.end.getTime()) {
      if (i.end.getTime() > last.end.getTime()) last.end = i.end;
    } else out.push({ start: i.start, end: i.end });
  }
  return out;
}
