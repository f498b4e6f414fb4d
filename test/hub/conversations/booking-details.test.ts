// Booking details in a customer's own words, read as London time relative to when they wrote, whatever TZ says.
import { describe, expect, it } from "vitest";
import { readBookingDetails } from "../../../hub/conversations/booking-details";
import { formatLondon } from "../../../hub/core/time";

const read = (text: string, at: string) => {
  const d = readBookingDetails(text, new Date(at));
  return { at: d.requestedStartAt ? formatLondon(d.requestedStartAt) : undefined, party: d.partySize };
};

describe("booking details from free text", () => {
  it("reads the examples customers write, relative to when the message arrived", () => {
    // Tuesday 1 December 2026, 10:00 GMT.
    const tuesday = "2026-12-01T10:00:00Z";
    expect(read("table for 4 this Friday at 7pm", tuesday)).toEqual({ at: "2026-12-04T19:00:00.000+00:00", party: 4 });
    expect(read("tomorrow 8:30pm, 6 of us", tuesday)).toEqual({ at: "2026-12-02T20:30:00.000+00:00", party: 6 });
    expect(read("Do you have space for 12 on 1/7/27 12h15?", tuesday)).toEqual({
      at: "2027-07-01T12:15:00.000+01:00",
      party: 12,
    });
    expect(read("a party of six on 24/12 at 19:30", tuesday)).toEqual({
      at: "2026-12-24T19:30:00.000+00:00",
      party: 6,
    });
  });

  it("reads dates the British way: 03/04 is 3 April", () => {
    expect(read("03/04 19:00", "2026-12-01T10:00:00Z").at).toBe("2027-04-03T19:00:00.000+01:00");
  });

  it("reads relative days from the London date, not UTC's: 'tomorrow' at 23:30 BST is two UTC days on", () => {
    // 30 June 23:30 BST is 22:30Z; tomorrow in London is 1 July.
    expect(read("tomorrow at 7pm for 2", "2026-06-30T22:30:00Z")).toEqual({
      at: "2026-07-01T19:00:00.000+01:00",
      party: 2,
    });
  });

  it("keeps the wall time across a clock change: a July dinner asked for in winter is BST", () => {
    expect(read("2 people on 10/07 at 8pm", "2026-12-01T10:00:00Z").at).toBe("2027-07-10T20:00:00.000+01:00");
  });

  it("names no time in a year the API would refuse (before 1900, after 2100): matching from it could not work", () => {
    expect(read("table for 4 on 31/12/9999 at 7pm", "2026-12-01T10:00:00Z")).toEqual({ at: undefined, party: 4 });
    expect(read("dinner 25/12/2101 19:30", "2026-12-01T10:00:00Z").at).toBeUndefined();
    expect(read("dinner 25/12/2100 19:30", "2026-12-01T10:00:00Z").at).toBe("2100-12-25T19:30:00.000+00:00");
  });

  it("names no time for a day alone, a length of time, or no date at all; no party from a time's numbers", () => {
    expect(read("a table for two tomorrow evening", "2026-12-01T10:00:00Z")).toEqual({ at: undefined, party: 2 });
    expect(read("in 2 hours", "2026-12-01T10:00:00Z")).toEqual({ at: undefined, party: undefined });
    expect(read("hello, is there parking?", "2026-12-01T10:00:00Z")).toEqual({ at: undefined, party: undefined });
    expect(read("friday 7pm", "2026-12-01T10:00:00Z").party).toBeUndefined();
    expect(read("for 7pm on friday", "2026-12-01T10:00:00Z").party).toBeUndefined();
  });
});
