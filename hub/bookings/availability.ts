// A resource's free start times on a London day, for a length of booking: open throughout, unblocked, unbooked.
import type { Executor } from "../../db/client";
import type { resources } from "../../db/schema";
import { addDays, dayBounds } from "./calendar";
import { intervalsStartingOn, isOpenThroughout, type Interval } from "./opening-hours";
import { overlaps, takenBetween } from "./occupancy";

/** Start times are offered on the quarter hour. */
export const SLOT_STEP_MINUTES = 15;
const MINUTE_MS = 60_000;

export async function freeStarts(
  db: Executor,
  resource: typeof resources.$inferSelect,
  date: string,
  durationMinutes: number,
): Promise<Date[]> {
  if (resource.status !== "active") return [];
  const day = dayBounds(date);
  const durationMs = durationMinutes * MINUTE_MS;
  // A booking may start late in the day and run past midnight (or into the next day's hours).
  const taken = await takenBetween(db, resource.id, {
    start: day.start,
    end: new Date(day.end.getTime() + durationMs),
  });
  const starts: Date[] = [];
  // The day before's hours may run past midnight into this day (Sat 18:00–02:00 opens Sunday's small hours).
  const openings = [
    ...intervalsStartingOn(resource.openingHours, addDays(date, -1)),
    ...intervalsStartingOn(resource.openingHours, date),
  ];
  for (const opening of openings) {
    for (
      let at = opening.start.getTime();
      at < opening.end.getTime() && at < day.end.getTime();
      at += SLOT_STEP_MINUTES * MINUTE_MS
    ) {
      if (at < day.start.getTime() || starts.some((s) => s.getTime() === at)) continue;
      const window: Interval = { start: new Date(at), end: new Date(at + durationMs) };
      if (!isOpenThroughout(resource.openingHours, window, date)) continue;
      if (taken.some((t) => overlaps(t, window))) continue;
      starts.push(window.start);
    }
  }
  return starts.sort((a, b) => a.getTime() - b.getTime());
}
