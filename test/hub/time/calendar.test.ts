// Zone-free calendar dates: the same answers in every process time zone (this file runs in three).
import { describe, expect, it } from "vitest";
import { addDays, isCalendarDate, weekDayOf } from "../../../hub/time";

describe("calendar dates", () => {
  it("steps whole days across month, year and clock-change boundaries", () => {
    expect(addDays("2026-10-24", 1)).toBe("2026-10-25");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
  });

  it("names the week day", () => {
    expect(["2026-12-06", "2026-12-07", "2027-02-05"].map(weekDayOf)).toEqual(["sun", "mon", "fri"]);
  });

  it("knows which days exist", () => {
    expect(isCalendarDate(2024, 2, 29)).toBe(true);
    expect(isCalendarDate(2026, 2, 29)).toBe(false);
    expect(isCalendarDate(2026, 2, 30)).toBe(false);
    expect(isCalendarDate(2026, 13, 1)).toBe(false);
    expect(isCalendarDate(2026, 4, 31)).toBe(false);
  });
});
