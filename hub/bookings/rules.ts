// Whether a resource can take a booking for a window: open, unblocked, big enough, active. Each refusal says why.
import type { resources } from "../../db/schema";
import { formatLondonForPeople } from "../core/time";
import { dayOf } from "./calendar";
import { isOpenThroughout, type Interval } from "./opening-hours";
import { overlaps, type Taken } from "./occupancy";

type Resource = typeof resources.$inferSelect;

/**
 * Plain sentences, one per rule broken; empty when the resource can take the booking. Bookings are not checked here.
 */
export function bookingProblems(
  resource: Resource,
  window: Interval,
  partySize: number | null,
  blocks: Taken[],
): string[] {
  const problems: string[] = [];
  if (resource.status !== "active") problems.push(`${resource.name} is inactive: it takes no bookings.`);
  if (partySize !== null && partySize > resource.capacity)
    problems.push(`${resource.name} holds ${resource.capacity}; the party is ${partySize}.`);
  if (!isOpenThroughout(resource.openingHours, window, dayOf(window.start))) {
    problems.push(
      `${resource.name} is not open for the whole of ${formatLondonForPeople(window.start)} to ${formatLondonForPeople(window.end)} ` +
        `(opening hours: ${resource.openingHours.map((h) => `${h.day} ${h.opens}–${h.closes}`).join(", ")}).`,
    );
  }
  for (const block of blocks.filter((b) => b.kind === "block" && overlaps(b, window))) {
    problems.push(
      `${resource.name} is blocked from ${formatLondonForPeople(block.start)} to ${formatLondonForPeople(block.end)}: ${block.label}.`,
    );
  }
  return problems;
}
