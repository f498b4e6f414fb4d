// Zone-free calendar dates: the same answers in every process time zone (this file runs in three).
import { describe, expect, it } from "vitest";
import { addDays, formatDateForPeople, isCalendarDate, parseApiDate, weekDayOf } from "../../../../hub/core/time";

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

  it("parses an API date: a day that exists, in the years 1900 to 2100", () => {
    for (const date of ["2026-07-01", "2028-02-29", "1900-01-01", "2100-12-31"]) expect(parseApiDate(date)).toBe(date);
    expect(parseApiDate(" 2026-07-01 ")).toBe("2026-07-01");
    for (const text of [
      "2027-02-29",
      "2027-02-30",
      "2027-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "1900-02-29",
    ]) {
      expect(parseApiDate(text), text).toBeUndefined();
    }
    for (const text of ["1899-12-31", "2101-01-01", "9999-12-31", "0000-01-01"])
      expect(parseApiDate(text), text).toBeUndefined();
    for (const text of ["2026-7-1", "26-07-01", "2026-07-01T10:00", "20260701", "+02026-07-01", ""])
      expect(parseApiDate(text), text).toBeUndefined();
  });

  it("writes a date for people, in English", () => {
    expect(formatDateForPeople("2027-07-01")).toBe("Thursday 1 July 2027");
    expect(formatDateForPeople("2026-12-04")).toBe("Friday 4 December 2026");
  });
});
