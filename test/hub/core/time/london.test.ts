// London time (hub/core/time/london.ts) checked by hand-worked examples and against PostgreSQL's own Europe/London
// arithmetic, once per process time zone (the vitest projects "time UTC", "time America/New_York", "time Asia/Tokyo").
import { sql } from "drizzle-orm";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../../db/client";
import {
  addLondonWallMinutes,
  APP_TIME_ZONE,
  formatLondon,
  formatLondonClock,
  fromLondonWall,
  isAppTimeZone,
  londonDate,
  parseApiDateTime,
  toLondonWall,
  type WallTime,
} from "../../../../hub/core/time/london";
import { openTestDatabase } from "../../../support/database";

const PROJECT_ZONES = ["UTC", "America/New_York", "Asia/Tokyo"] as const;
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const iso = (text: string) => new Date(text);
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYY-MM-DDTHH:MM:SS.mmm`, the same shape as PostgreSQL's to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.MS'). */
function wallText(w: WallTime): string {
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(w.millisecond, 3)}`;
}

/** The offset ±HH:MM that formatLondon must print for an offset in minutes east of UTC. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Midnight UTC of the last Sunday of a month (monthIndex 0-based). */
function lastSunday(year: number, monthIndex: number): number {
  const lastDay = new Date(Date.UTC(year, monthIndex + 1, 0));
  return lastDay.getTime() - lastDay.getUTCDay() * DAY_MS;
}

interface DstDay {
  label: string; // YYYY-MM-DD
  kind: "spring" | "autumn";
  utcMidnight: number;
}

/** The UK clock-change Sundays: last Sunday of March (forward) and of October (back), for each year. */
function dstDays(fromYear: number, toYear: number): DstDay[] {
  const days: DstDay[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const [kind, month] of [
      ["spring", 2],
      ["autumn", 9],
    ] as const) {
      const utcMidnight = lastSunday(year, month);
      days.push({ kind, utcMidnight, label: new Date(utcMidnight).toISOString().slice(0, 10) });
    }
  }
  return days;
}

/** mulberry32: a tiny seeded PRNG, so a failing random case reproduces from the seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Mismatch {
  input: string;
  expected: unknown;
  actual: unknown;
}

/** Fails listing the first mismatches (the full count in the message), so a diff stays readable. */
function expectNoMismatches(mismatches: Mismatch[], what: string) {
  expect(mismatches.slice(0, 20), `${mismatches.length} mismatches in ${what}`).toEqual([]);
}

// SQL pieces shared by the batched comparisons; every input arrives as one JSON parameter.
const ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';
const WALL = 'YYYY-MM-DD"T"HH24:MI:SS.MS';

interface DeadlineCase {
  i: number;
  t: string; // instant, ISO with Z
  m: number; // minutes
}

/**
 * PostgreSQL's SLA deadline for each case: ((t AT TIME ZONE 'Europe/London') + m minutes) AT TIME ZONE 'Europe/London'.
 */
async function pgDeadlines(handle: DatabaseHandle, cases: DeadlineCase[]): Promise<Map<number, string>> {
  const rows = await handle.rows<{ i: number; deadline: string }>(sql`
    select r.i,
           to_char(((r.t at time zone 'Europe/London') + make_interval(mins => r.m)) at time zone 'Europe/London'
                     at time zone 'UTC', ${ISO_UTC}) as deadline
      from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as r(i int, t timestamptz, m int)`);
  return new Map(rows.map((row) => [Number(row.i), row.deadline]));
}

describe("London time module", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await handle?.close();
  });

  describe("process time zone", () => {
    it("runs under the project's TZ (UTC, America/New_York or Asia/Tokyo), not London", () => {
      const expected = process.env.TZ;
      expect(PROJECT_ZONES as readonly (string | undefined)[]).toContain(expected);
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(expected);
      // The Date object's local time really follows it too (minutes behind UTC on 2026-07-01).
      const localOffset = { UTC: 0, "America/New_York": 240, "Asia/Tokyo": -540 }[
        expected as (typeof PROJECT_ZONES)[number]
      ];
      expect(iso("2026-07-01T12:00:00Z").getTimezoneOffset()).toBe(localOffset);
    });

    it("names Europe/London as the hub's zone", () => {
      expect(APP_TIME_ZONE).toBe("Europe/London");
      expect(isAppTimeZone("Europe/London")).toBe(true);
      expect(isAppTimeZone("UTC")).toBe(false);
      expect(isAppTimeZone(process.env.TZ ?? "")).toBe(false);
    });
  });

  describe("addLondonWallMinutes (SLA deadline on the London wall clock)", () => {
    it.each([
      ["2026-03-28T12:00:00.000Z", 1440, "2026-03-29T11:00:00.000Z", "a day across spring-forward is 23 real hours"],
      ["2026-10-24T12:00:00.000Z", 1440, "2026-10-25T13:00:00.000Z", "a day across fall-back is 25 real hours"],
      ["2026-10-25T00:50:00.000Z", 15, "2026-10-25T02:05:00.000Z", "01:50 BST + 15 min is 02:05 GMT"],
      ["2026-03-29T00:30:00.000Z", 60, "2026-03-29T01:30:00.000Z", "landing in the spring gap keeps GMT"],
      ["2026-07-01T09:00:00.000Z", 90, "2026-07-01T10:30:00.000Z", "a summer day with no change"],
      ["2026-01-15T23:59:00.000Z", 2, "2026-01-16T00:01:00.000Z", "crossing midnight in winter"],
    ])("%s + %i min → %s (%s)", (arrival, minutes, deadline) => {
      expect(addLondonWallMinutes(iso(arrival), minutes).toISOString()).toBe(deadline);
    });

    it("keeps seconds and milliseconds of the arrival", () => {
      expect(addLondonWallMinutes(iso("2026-07-01T09:00:12.345Z"), 30).toISOString()).toBe("2026-07-01T09:30:12.345Z");
    });
  });

  describe("toLondonWall / fromLondonWall", () => {
    it("reads the London wall clock of an instant", () => {
      expect(toLondonWall(iso("2026-07-01T09:00:12.345Z"))).toEqual({
        year: 2026,
        month: 7,
        day: 1,
        hour: 10,
        minute: 0,
        second: 12,
        millisecond: 345,
      });
      expect(wallText(toLondonWall(iso("2026-12-31T23:30:00Z")))).toBe("2026-12-31T23:30:00.000");
    });

    it("resolves gap and overlap readings as PostgreSQL does", () => {
      const wall = (text: string) => {
        const [date = "", time = ""] = text.split("T");
        const [year, month, day] = date.split("-").map(Number);
        const [hour, minute] = time.split(":").map(Number);
        return { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: 0, millisecond: 0 };
      };
      expect(fromLondonWall(wall("2026-07-01T10:00")).toISOString()).toBe("2026-07-01T09:00:00.000Z");
      expect(fromLondonWall(wall("2026-03-29T01:30")).toISOString()).toBe("2026-03-29T01:30:00.000Z");
      expect(fromLondonWall(wall("2026-10-25T01:30")).toISOString()).toBe("2026-10-25T01:30:00.000Z");
      expect(fromLondonWall(wall("2026-10-25T00:59")).toISOString()).toBe("2026-10-24T23:59:00.000Z");
    });
  });

  describe("parseApiDateTime", () => {
    it.each([
      ["2026-07-01T10:00:00", "2026-07-01T09:00:00.000Z", "naive summer time is BST"],
      ["2026-01-15T10:00:00", "2026-01-15T10:00:00.000Z", "naive winter time is GMT"],
      ["2026-03-29T01:30:00", "2026-03-29T01:30:00.000Z", "spring gap: the clock had not yet moved"],
      ["2026-10-25T01:30:00", "2026-10-25T01:30:00.000Z", "autumn overlap: the GMT (later) reading"],
      ["2026-07-01T10:00", "2026-07-01T09:00:00.000Z", "seconds are optional"],
      ["2026-07-01 10:00:00", "2026-07-01T09:00:00.000Z", "a space may separate date and time"],
      ["2026-07-01T10:00:00.5", "2026-07-01T09:00:00.500Z", "fractions of a second"],
      ["2026-07-01T10:00:00Z", "2026-07-01T10:00:00.000Z", "Z is UTC"],
      ["2026-07-01T10:00:00+01:00", "2026-07-01T09:00:00.000Z", "an explicit offset is that instant"],
      ["2026-07-01T10:00:00-05:00", "2026-07-01T15:00:00.000Z", "a negative offset"],
      ["2026-07-01T10:00:00+0530", "2026-07-01T04:30:00.000Z", "a basic-format offset"],
      ["2026-03-29T01:30:00Z", "2026-03-29T01:30:00.000Z", "an offset makes the spring gap irrelevant"],
      ["2026-10-25T01:30:00+01:00", "2026-10-25T00:30:00.000Z", "an offset picks the BST reading of the overlap"],
      ["2028-02-29T12:00:00", "2028-02-29T12:00:00.000Z", "a leap day"],
      ["  2026-07-01T10:00:00  ", "2026-07-01T09:00:00.000Z", "surrounding spaces are ignored"],
      ["1900-01-01T00:00", "1900-01-01T00:00:00.000Z", "the first minute of the years the API takes"],
      ["2100-12-31T23:59:59.999", "2100-12-31T23:59:59.999Z", "the last moment of the years the API takes"],
    ])("%j → %s (%s)", (text, expected) => {
      expect(parseApiDateTime(text)?.toISOString()).toBe(expected);
    });

    it.each([
      ["2026-02-30T10:00", "no 30 February"],
      ["2027-02-29T10:00", "no 29 February in a common year"],
      ["2026-13-01T10:00", "no month 13"],
      ["2026-07-01T24:00", "no hour 24"],
      ["2026-07-01T10:60", "no minute 60"],
      ["2026-07-01T10:00:60", "no second 60"],
      ["garbage", "not a datetime"],
      ["2026-07-01", "a date only"],
      ["10:00:00", "a time only"],
      ["", "empty"],
      ["2026-07-01T10:00:00+01:", "a broken offset"],
      ["2026-07-01T10:00:00 Europe/London", "a zone name"],
      ["0050-06-01T12:00:00Z", "a year before 1900 (Date.UTC would read it as 1950)"],
      ["1899-12-31T23:59:59", "a year before 1900"],
      ["2101-01-01T00:00", "a year after 2100"],
      ["9999-12-31T23:59", "year 9999 (a day's window from it runs past what PostgreSQL stores)"],
      ["2100-12-31T23:00-05:00", "an offset that carries 2100 into 2101 in London"],
      ["2101-01-01T00:00+01:00", "a year after 2100 as written, though 2100 in London"],
      ["1900-01-01T00:30+01:00", "an offset that carries 1900 back into 1899 in London"],
      ["2027-04-31T10:00", "no 31 April"],
      ["2026-07-01T10:00:00+99:99", "an offset out of range"],
      ["2026-07-01T10:00:00+18:01", "an offset beyond ±18:00"],
    ])("%j → undefined (%s)", (text) => {
      expect(parseApiDateTime(text)).toBeUndefined();
    });
  });

  describe("formatLondon and londonDate", () => {
    it("refuse an Invalid Date rather than answer null", () => {
      expect(() => formatLondon(new Date("x"))).toThrow(RangeError);
      expect(() => londonDate(new Date(Number.NaN))).toThrow("not a valid instant");
    });

    it("prints ISO 8601 with the London offset and milliseconds", () => {
      expect(formatLondon(iso("2026-07-01T09:00:00Z"))).toBe("2026-07-01T10:00:00.000+01:00");
      expect(formatLondon(iso("2026-01-15T09:00:00Z"))).toBe("2026-01-15T09:00:00.000+00:00");
      expect(formatLondon(iso("2026-10-25T00:30:00Z"))).toBe("2026-10-25T01:30:00.000+01:00");
      expect(formatLondon(iso("2026-10-25T01:30:00Z"))).toBe("2026-10-25T01:30:00.000+00:00");
      expect(formatLondon(iso("2026-07-01T09:00:12.345Z"))).toBe("2026-07-01T10:00:12.345+01:00");
    });

    it("round-trips through parseApiDateTime", () => {
      for (const text of [
        "2026-07-01T09:00:00Z",
        "2026-10-25T00:30:00Z",
        "2026-10-25T01:30:00Z",
        "2026-03-29T01:00:00Z",
      ]) {
        expect(parseApiDateTime(formatLondon(iso(text)))?.toISOString()).toBe(iso(text).toISOString());
      }
    });

    it("gives the London calendar date", () => {
      expect(londonDate(iso("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
      expect(londonDate(iso("2026-06-30T22:59:59.999Z"))).toBe("2026-06-30");
      expect(londonDate(iso("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
      expect(londonDate(iso("2027-01-01T00:00:00Z"))).toBe("2027-01-01");
    });

    it("prints the London clock, with the zone when asked (the repeated hour of 31 October 2027)", () => {
      expect(formatLondonClock(iso("2027-07-01T18:00:00Z"))).toBe("19:00");
      expect(formatLondonClock(iso("2027-10-31T00:30:00Z"), { zone: true })).toBe("01:30 BST");
      expect(formatLondonClock(iso("2027-10-31T01:30:00Z"), { zone: true })).toBe("01:30 GMT");
    });
  });

  describe("the offset kept per hour", () => {
    // The module reads London's offset once per UTC hour; luxon's own lookup of every instant is the reference.
    const byLuxon = (at: Date) => DateTime.fromMillis(at.getTime(), { zone: APP_TIME_ZONE });
    const agree = (at: Date): Mismatch[] => {
      const reference = byLuxon(at);
      const expected = {
        wall: wallText({ ...reference.toObject() } as WallTime),
        iso: reference.toISO({ suppressMilliseconds: false }),
        date: reference.toISODate(),
      };
      const actual = { wall: wallText(toLondonWall(at)), iso: formatLondon(at), date: londonDate(at) };
      return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [{ input: at.toISOString(), expected, actual }];
    };

    it("reads and prints London time as luxon does, on both sides of every offset change 1900–2100", () => {
      const changes: number[] = [];
      for (let day = Date.UTC(1900, 0, 1); day < Date.UTC(2100, 0, 1); day += DAY_MS) {
        if (byLuxon(new Date(day)).offset === byLuxon(new Date(day + DAY_MS)).offset) continue;
        // The exact millisecond of the change, by halving the day.
        let [lo, hi] = [day, day + DAY_MS];
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (byLuxon(new Date(mid)).offset === byLuxon(new Date(lo)).offset) lo = mid;
          else hi = mid;
        }
        changes.push(hi);
      }
      expect(changes.length).toBeGreaterThan(300); // two a year since 1916, more in the war years
      const mismatches = changes.flatMap((change) =>
        [-HOUR_MS, -1, 0, 1, 30 * MINUTE_MS, HOUR_MS - 1].flatMap((delta) => agree(new Date(change + delta))),
      );
      expectNoMismatches(mismatches, `${changes.length} offset changes`);
    });

    it("reads and prints London time as luxon does for 20000 random instants 1900–2100 (seeded)", () => {
      const random = mulberry32(20_261_127);
      const [from, to] = [Date.UTC(1900, 0, 1), Date.UTC(2100, 0, 1)];
      const mismatches = Array.from({ length: 20_000 }, () =>
        agree(new Date(from + Math.floor(random() * (to - from)))),
      );
      expectNoMismatches(mismatches.flat(), "20000 random instants");
    });
  });

  describe("against PostgreSQL on every UK clock-change day, 2024–2030, every 5 minutes", () => {
    const days = dstDays(2024, 2030);
    const MINUTES = [0, 1, 15, 30, 60, 90, 120, 1440];
    const MARGIN_MS = 4 * HOUR_MS; // around the UTC day, which itself covers the London day (UTC+0 or +1)

    it("finds 14 change days, each a Sunday where PostgreSQL's London offset really changes", async () => {
      expect(days).toHaveLength(14);
      expect(days.map((d) => d.label).slice(0, 4)).toEqual(["2024-03-31", "2024-10-27", "2025-03-30", "2025-10-26"]);
      const cases = days.map((d, i) => ({
        i,
        before: new Date(d.utcMidnight).toISOString(), // 00:00Z, before the 01:00Z change
        after: new Date(d.utcMidnight + 12 * HOUR_MS).toISOString(),
      }));
      const rows = await handle.rows<{ i: number; before: number; after: number }>(sql`
        select r.i,
               (extract(epoch from (r.before at time zone 'Europe/London') - (r.before at time zone 'UTC')) / 60)::int as before,
               (extract(epoch from (r.after at time zone 'Europe/London') - (r.after at time zone 'UTC')) / 60)::int as after
          from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as r(i int, before timestamptz, after timestamptz)
         order by r.i`);
      expect(rows.map((r) => [days[Number(r.i)]!.label, Number(r.before), Number(r.after)])).toEqual(
        days.map((d) => [d.label, d.kind === "spring" ? 0 : 60, d.kind === "spring" ? 60 : 0]),
      );
    });

    it("addLondonWallMinutes(t, m) equals PostgreSQL's wall-clock addition for every 5-minute instant", async () => {
      const cases: DeadlineCase[] = [];
      for (const day of days) {
        for (let t = day.utcMidnight - MARGIN_MS; t <= day.utcMidnight + DAY_MS + MARGIN_MS; t += 5 * MINUTE_MS) {
          for (const m of MINUTES) cases.push({ i: cases.length, t: new Date(t).toISOString(), m });
        }
      }
      // (24 h + 2 × 4 h) of 5-minute steps, both ends included, on 14 days, for each minute value.
      expect(cases).toHaveLength(14 * (32 * 12 + 1) * MINUTES.length);

      const expected = await pgDeadlines(handle, cases);
      expect(expected.size).toBe(cases.length);
      const mismatches: Mismatch[] = [];
      for (const c of cases) {
        const actual = addLondonWallMinutes(new Date(c.t), c.m).toISOString();
        const want = expected.get(c.i);
        if (actual !== want) mismatches.push({ input: `${c.t} + ${c.m} min`, expected: want, actual });
      }
      expectNoMismatches(mismatches, `${cases.length} deadlines`);
    });

    it("parseApiDateTime(naive text) equals PostgreSQL's timestamp AT TIME ZONE for every 5-minute wall time", async () => {
      const cases: { i: number; w: string }[] = [];
      for (const day of days) {
        for (let wall = day.utcMidnight; wall < day.utcMidnight + DAY_MS; wall += 5 * MINUTE_MS) {
          // The wall reading, built from UTC fields so no zone is involved: "YYYY-MM-DDTHH:MM:00".
          cases.push({ i: cases.length, w: `${new Date(wall).toISOString().slice(0, 16)}:00` });
        }
      }
      expect(cases).toHaveLength(14 * 288);
      // The gap and the overlap are in there: 01:00–01:55 on each day.
      expect(cases.filter((c) => /T01:[0-5]\d:00$/.test(c.w))).toHaveLength(14 * 12);

      const rows = await handle.rows<{ i: number; instant: string }>(sql`
        select r.i, to_char((r.w::timestamp at time zone 'Europe/London') at time zone 'UTC', ${ISO_UTC}) as instant
          from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as r(i int, w text)`);
      const expected = new Map(rows.map((row) => [Number(row.i), row.instant]));
      expect(expected.size).toBe(cases.length);
      const mismatches: Mismatch[] = [];
      for (const c of cases) {
        const actual = parseApiDateTime(c.w)?.toISOString();
        const want = expected.get(c.i);
        if (actual !== want) mismatches.push({ input: c.w, expected: want, actual });
      }
      expectNoMismatches(mismatches, `${cases.length} wall times`);
    });
  });

  describe("against PostgreSQL on random instants 2000–2040 (seeded)", () => {
    const SEED = 0x5eed_2026;
    const COUNT = 5000;
    const FROM = Date.UTC(2000, 0, 1);
    const TO = Date.UTC(2040, 0, 1);
    const random = mulberry32(SEED);
    const cases: DeadlineCase[] = Array.from({ length: COUNT }, (_, i) => ({
      i,
      t: new Date(FROM + Math.floor(random() * (TO - FROM))).toISOString(),
      m: Math.floor(random() * 20_001),
    }));

    it(`draws ${COUNT} distinct instants across the range (seed ${SEED})`, () => {
      expect(new Set(cases.map((c) => c.t)).size).toBe(COUNT);
      expect(cases.some((c) => c.t < "2005")).toBe(true);
      expect(cases.some((c) => c.t >= "2035")).toBe(true);
      expect(cases.some((c) => !c.t.endsWith(".000Z"))).toBe(true);
    });

    it(`addLondonWallMinutes(t, m) equals PostgreSQL's for ${COUNT} random t and m in 0..20000 (seed ${SEED})`, async () => {
      const expected = await pgDeadlines(handle, cases);
      expect(expected.size).toBe(COUNT);
      const mismatches: Mismatch[] = [];
      for (const c of cases) {
        const actual = addLondonWallMinutes(new Date(c.t), c.m).toISOString();
        const want = expected.get(c.i);
        if (actual !== want) mismatches.push({ input: `${c.t} + ${c.m} min`, expected: want, actual });
      }
      expectNoMismatches(mismatches, `${COUNT} random deadlines (seed ${SEED})`);
    });

    it(`toLondonWall, londonDate and formatLondon agree with PostgreSQL's AT TIME ZONE for ${COUNT} random t (seed ${SEED})`, async () => {
      const rows = await handle.rows<{ i: number; wall: string; date: string; offset: number }>(sql`
        select r.i,
               to_char(r.t at time zone 'Europe/London', ${WALL}) as wall,
               to_char(r.t at time zone 'Europe/London', 'YYYY-MM-DD') as date,
               (extract(epoch from (r.t at time zone 'Europe/London') - (r.t at time zone 'UTC')) / 60)::int as offset
          from jsonb_to_recordset(${JSON.stringify(cases)}::jsonb) as r(i int, t timestamptz)`);
      expect(rows).toHaveLength(COUNT);
      const mismatches: Mismatch[] = [];
      for (const row of rows) {
        const c = cases[Number(row.i)]!;
        const at = new Date(c.t);
        const want = { wall: row.wall, date: row.date, formatted: `${row.wall}${offsetText(Number(row.offset))}` };
        const actual = { wall: wallText(toLondonWall(at)), date: londonDate(at), formatted: formatLondon(at) };
        if (JSON.stringify(actual) !== JSON.stringify(want)) mismatches.push({ input: c.t, expected: want, actual });
      }
      expectNoMismatches(mismatches, `${COUNT} random wall readings (seed ${SEED})`);
    });
  });
});
