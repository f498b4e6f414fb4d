// London calendar days for bookings: a day's wall times as instants, and the days around an instant.
import { addDays, fromLondonWall, londonDate } from "../core/time";

export { addDays, WEEK_DAYS, weekDayOf, type WeekDay } from "../core/time";

/** The instant of a London wall time `HH:MM` on a date (gap and overlap resolved as PostgreSQL does). */
export function atLondon(date: string, time: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return fromLondonWall({ year: y, month: m, day: d, hour, minute, second: 0, millisecond: 0 });
}

/** The London day an instant falls on, as `YYYY-MM-DD`. */
export const dayOf = (at: Date) => londonDate(at);

/** Where a London day begins and ends: 23 hours in spring, 25 in autumn. */
export const dayBounds = (date: string) => ({
  start: atLondon(date, "00:00"),
  end: atLondon(addDays(date, 1), "00:00"),
});
