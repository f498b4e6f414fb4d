// The business-hours SLA clock: only open minutes count, in London time, skipping holidays, with real minutes across
// the clock changes; and the rules a policy's hours must keep.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, formatLondon, londonDate, parseApiDateTime } from "../../hub/core/time";
import {
  addOpenMinutes,
  BUSINESS_DAYS,
  type BusinessPeriod,
  businessHoursProblems,
  openMinutesBetween,
  openPeriodsOn,
  weeklyOpenMinutes,
} from "../../hub/sla/business-hours";

const at = (text: string) => parseApiDateTime(text)!;
const pad = (n: number) => String(n).padStart(2, "0");
const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
const days = (list: readonly BusinessPeriod["day"][], opens: string, closes: string): BusinessPeriod[] =>
  list.map((day) => ({ day, opens, closes }));

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"] as const;
const OFFICE = days(WEEKDAYS, "09:00", "18:00");
const NONE = new Set<string>();
const due = (from: string, minutes: number, hours: BusinessPeriod[], closed: ReadonlySet<string> = NONE) =>
  formatLondon(addOpenMinutes(at(from), minutes, hours, closed));

describe("the business-hours deadline", () => {
  it("carries a Friday 17:30 lead over the weekend to 09:30 on Monday", () => {
    expect(due("2026-11-27T17:30", 60, OFFICE)).toBe("2026-11-30T09:30:00.000+00:00");
  });

  it("skips a bank holiday Monday to Tuesday", () => {
    expect(due("2026-05-22T17:30", 60, OFFICE, new Set(["2026-05-25"]))).toBe("2026-05-26T09:30:00.000+01:00");
  });

  it("starts counting at the opening when the lead comes before it, or on a holiday", () => {
    expect(due("2026-11-30T07:00", 60, OFFICE)).toBe("2026-11-30T10:00:00.000+00:00");
    expect(due("2026-11-30T09:00", 60, OFFICE)).toBe("2026-11-30T10:00:00.000+00:00");
    // Christmas Day is a Friday, Boxing Day's substitute the Monday after.
    expect(due("2026-12-25T10:00", 60, OFFICE, new Set(["2026-12-25", "2026-12-28"]))).toBe(
      "2026-12-29T10:00:00.000+00:00",
    );
  });

  it("ends at the closing when the minutes use a period up exactly", () => {
    expect(due("2026-11-30T17:00", 60, OFFICE)).toBe("2026-11-30T18:00:00.000+00:00");
    expect(due("2026-11-30T17:00", 61, OFFICE)).toBe("2026-12-01T09:01:00.000+00:00");
  });

  it("counts the periods of a split shift and skips the break", () => {
    const split = [...days(["mon"], "09:00", "13:00"), ...days(["mon"], "17:00", "22:00")];
    expect(due("2026-11-30T12:30", 60, split)).toBe("2026-11-30T17:30:00.000+00:00");
  });

  it("runs a period to 24:00, the day's end, into the next day's from 00:00", () => {
    const late = [...days(["mon"], "18:00", "24:00"), ...days(["tue"], "00:00", "02:00")];
    expect(due("2026-11-30T23:30", 60, late)).toBe("2026-12-01T00:30:00.000+00:00");
  });

  it("counts real minutes across the spring change: 00:30–03:00 on 29 March 2026 is 90 minutes", () => {
    const night = [...days(["sun"], "00:30", "03:00"), ...OFFICE];
    const [period] = openPeriodsOn("2026-03-29", night, NONE);
    expect(period!.start.toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(period!.end.toISOString()).toBe("2026-03-29T02:00:00.000Z");
    expect(due("2026-03-29T00:30", 90, night)).toBe("2026-03-29T03:00:00.000+01:00");
    expect(due("2026-03-29T00:30", 91, night)).toBe("2026-03-30T09:01:00.000+01:00");
  });

  it("counts real minutes across the autumn change: 00:30–03:00 on 25 October 2026 is 210 minutes", () => {
    const night = days(["sun"], "00:30", "03:00");
    expect(openMinutesBetween(at("2026-10-24T12:00Z"), at("2026-10-25T12:00Z"), night, NONE)).toBe(210);
    expect(due("2026-10-25T00:30", 150, night)).toBe("2026-10-25T02:00:00.000+00:00");
  });

  it("opens a period whose opening the spring change skips at the jump, 02:00 BST", () => {
    const [period] = openPeriodsOn("2026-03-29", days(["sun"], "01:30", "03:00"), NONE);
    expect(formatLondon(period!.start)).toBe("2026-03-29T02:00:00.000+01:00");
    expect((period!.end.getTime() - period!.start.getTime()) / 60_000).toBe(60);
  });

  it("keeps nothing open on a closed date", () => {
    expect(openPeriodsOn("2026-12-25", OFFICE, new Set(["2026-12-25"]))).toEqual([]);
  });
});

describe("a policy's business hours", () => {
  it("come with the business clock only, and with at least one period", () => {
    expect(businessHoursProblems("wall", [], 60)).toEqual([]);
    expect(businessHoursProblems("wall", OFFICE, 60)[0]!.field).toBe("business_hours");
    expect(businessHoursProblems("business", [], 60)[0]!.field).toBe("business_hours");
    expect(businessHoursProblems("business", OFFICE, 60)).toEqual([]);
  });

  it("open before they close, and a day's periods may touch but not overlap", () => {
    const problems = businessHoursProblems(
      "business",
      [
        { day: "mon", opens: "09:00", closes: "13:00" },
        { day: "mon", opens: "13:00", closes: "18:00" },
        { day: "tue", opens: "18:00", closes: "09:00" },
        { day: "wed", opens: "09:00", closes: "13:00" },
        { day: "wed", opens: "12:00", closes: "14:00" },
        { day: "thu", opens: "10:00", closes: "10:00" },
      ],
      60,
    );
    expect(problems.map((p) => p.field)).toEqual([
      "business_hours.2.closes",
      "business_hours.5.closes",
      "business_hours.4",
    ]);
    expect(problems[2]!.message).toBe("overlaps wed 09:00–13:00");
  });

  it("must give the deadline within four weeks of open time", () => {
    const tiny = days(["mon"], "09:00", "09:10");
    expect(businessHoursProblems("business", tiny, 40)).toEqual([]);
    expect(businessHoursProblems("business", tiny, 41)[0]!.field).toBe("deadline_minutes");
    expect(weeklyOpenMinutes(OFFICE)).toBe(2700);
  });
});

/** Non-overlapping periods: per day an even number of distinct boundaries, paired in order. */
const businessHours = fc
  .tuple(
    ...BUSINESS_DAYS.map((day) =>
      fc.uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 }).map((edges) => {
        const sorted = [...edges].sort((a, b) => a - b);
        const periods: BusinessPeriod[] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) {
          periods.push({ day, opens: clock(sorted[i]!), closes: clock(sorted[i + 1]!) });
        }
        return periods;
      }),
    ),
  )
  .map((perDay) => perDay.flat())
  .filter((hours) => hours.length > 0 && hours.every((p) => p.opens !== "24:00"));

// Any instant of 2026–2030: every clock change of those years is in reach.
const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 11, 31) }).map((ms) => new Date(ms));

const policy = fc
  .record({
    hours: businessHours,
    from: instant,
    share: fc.double({ min: 0, max: 1, noNaN: true }),
    closedOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }),
  })
  .map(({ hours, from, share, closedOffsets }) => {
    const most = Math.min(10_080, 4 * weeklyOpenMinutes(hours));
    const closed = new Set(closedOffsets.map((d) => addDays(londonDate(from), d)));
    return { hours, from, closed, minutes: Math.max(1, Math.round(share * most)) };
  });

const RUNS = { seed: 1919, numRuns: 300 };

describe("the business-hours deadline, for any hours, holidays and arrival", () => {
  it("takes hours the policy would accept", () => {
    fc.assert(
      fc.property(policy, ({ hours, minutes }) => {
        expect(businessHoursProblems("business", hours, minutes)).toEqual([]);
      }),
      RUNS,
    );
  });

  it("has exactly the policy's open minutes between arrival and deadline", () => {
    fc.assert(
      fc.property(policy, ({ hours, from, closed, minutes }) => {
        const deadline = addOpenMinutes(from, minutes, hours, closed);
        expect(openMinutesBetween(from, deadline, hours, closed)).toBe(minutes);
      }),
      RUNS,
    );
  });

  it("lies inside an open period of a day that is not closed, and never sooner than the minutes on a stopwatch", () => {
    fc.assert(
      fc.property(policy, ({ hours, from, closed, minutes }) => {
        const deadline = addOpenMinutes(from, minutes, hours, closed);
        const date = londonDate(deadline);
        // A period closing at 24:00 ends on the next day's first instant.
        const periods = [...openPeriodsOn(addDays(date, -1), hours, closed), ...openPeriodsOn(date, hours, closed)];
        const inside = periods.some((p) => p.start <= deadline && deadline <= p.end);
        expect(inside, `${formatLondon(deadline)} in ${JSON.stringify(periods)}`).toBe(true);
        expect(deadline.getTime() - from.getTime()).toBeGreaterThanOrEqual(minutes * 60_000);
      }),
      RUNS,
    );
  });

  it("moves later with every further minute", () => {
    fc.assert(
      fc.property(policy, ({ hours, from, closed, minutes }) => {
        const deadline = addOpenMinutes(from, minutes, hours, closed);
        expect(addOpenMinutes(from, minutes + 1, hours, closed).getTime()).toBeGreaterThan(deadline.getTime());
      }),
      RUNS,
    );
  });

  it("is a stopwatch when open at all hours: real minutes, whatever the clocks do", () => {
    const always = days(BUSINESS_DAYS, "00:00", "24:00");
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10_080 }), (from, minutes) => {
        expect(addOpenMinutes(from, minutes, always, NONE).getTime()).toBe(from.getTime() + minutes * 60_000);
      }),
      RUNS,
    );
  });
});
