// The booking life cycle as a table: every pair of statuses, allowed or refused, without a database.
import { describe, expect, it } from "vitest";
import { BOOKING_STATUSES, type BookingStatus } from "../../db/schema";
import { canMove } from "../../hub/bookings/lifecycle";

/**
 * docs/after-booking.md's state diagram, written out: held → awaiting_deposit → confirmed → completed or no_show, or
 * an end; a completed booking may still be marked a no-show.
 */
const ALLOWED = new Set([
  "held→awaiting_deposit",
  "held→confirmed",
  "held→cancelled",
  "held→expired",
  "awaiting_deposit→confirmed",
  "awaiting_deposit→cancelled",
  "awaiting_deposit→expired",
  "confirmed→completed",
  "confirmed→no_show",
  "confirmed→cancelled",
  "confirmed→expired",
  "completed→no_show",
]);

describe("booking moves", () => {
  for (const from of BOOKING_STATUSES) {
    for (const to of BOOKING_STATUSES) {
      const pair = `${from}→${to}`;
      it(`${ALLOWED.has(pair) ? "allows" : "refuses"} ${pair}`, () => {
        expect(canMove(from, to)).toBe(ALLOWED.has(pair));
      });
    }
  }

  it("never leaves an end, never goes back to held, never stays put", () => {
    const ends: BookingStatus[] = ["no_show", "cancelled", "expired"];
    for (const s of BOOKING_STATUSES) {
      expect(canMove(s, "held")).toBe(false);
      expect(canMove(s, s)).toBe(false);
      if (ends.includes(s)) expect(BOOKING_STATUSES.filter((to) => canMove(s, to))).toEqual([]);
    }
    // What took place can only be corrected to a no-show; a no-show needs a booking that was confirmed.
    expect(BOOKING_STATUSES.filter((to) => canMove("completed", to))).toEqual(["no_show"]);
    expect(BOOKING_STATUSES.filter((from) => canMove(from, "no_show"))).toEqual(["confirmed", "completed"]);
  });
});
