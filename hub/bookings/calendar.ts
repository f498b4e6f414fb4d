// London calendar days for bookings: a day's wall times as instants, and the days around an instant.
import { addDays, atLondon, londonDate } from "../core/time";

export { addDays, atLondon, WEEK_DAYS, weekDayOf, type WeekDay } from "../core/time";

/** The London day an instant falls on, as `YYYY-MM-DD`. */
export const dayOf = (at: Date) => londonDate(at);

/** Where a London day begins and ends: 23 hours in spring, 25 in autumn. */
export const dayBounds = (date: string) => ({
  start: atLondon(date, "00:00"),
  end: atLondon(addDays(date, 1), "00:00"),
});
