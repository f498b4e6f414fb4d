// Reading a customer's answers to the guided questions, in London time whatever the process's zone.
import { describe, expect, it } from "vitest";
import { isSkip, parsePartySize, parseRequestedStart, parseService } from "../../../hub/conversations/answers";

const now = new Date("2026-03-20T12:00:00Z");
const at = (text: string) => {
  const answer = parseRequestedStart(text, now);
  return answer.ok ? answer.value.toISOString() : answer.problem;
};

describe("guided answers", () => {
  it("reads a date and time as London wall time, in either order and several formats", () => {
    expect(at("25/12/2026 19:30")).toBe("2026-12-25T19:30:00.000Z");
    expect(at("2026-07-01 7pm")).toBe("2026-07-01T18:00:00.000Z"); // BST
    expect(at("19:30 1.7.2026")).toBe("2026-07-01T18:30:00.000Z");
    expect(at("01/07 7:30 pm")).toBe("2026-07-01T18:30:00.000Z");
    expect(at("1/7/26 12h15")).toBe("2026-07-01T11:15:00.000Z");
  });

  it("takes a date without a year as the next such day, and resolves the spring gap as PostgreSQL does", () => {
    expect(at("15/03 10:00")).toBe("2027-03-15T10:00:00.000Z");
    expect(at("29/03 01:30")).toBe("2026-03-29T01:30:00.000Z");
  });

  it("refuses what is not a future date and time", () => {
    expect(at("tomorrow evening")).toMatch(/^Please write a date and a time/);
    expect(at("25/12/2026")).toMatch(/^Please write a date and a time/);
    expect(at("31/02/2026 19:00")).toMatch(/does not exist/);
    expect(at("01/01/2026 10:00")).toMatch(/in the past/);
    expect(at("01/01/2030 10:00")).toMatch(/two years ahead/);
    expect(at("25/12/2026 25:00")).toMatch(/^Please write/);
  });

  it("reads party sizes, services and skips", () => {
    expect(parsePartySize("4")).toEqual({ ok: true, value: 4 });
    expect(parsePartySize("12 people")).toEqual({ ok: true, value: 12 });
    expect(parsePartySize("0").ok).toBe(false);
    expect(parsePartySize("a few").ok).toBe(false);
    expect(parseService("  Dinner ")).toEqual({ ok: true, value: "Dinner" });
    expect(parseService("x".repeat(201)).ok).toBe(false);
    expect(["skip", "Skip", "-", "not sure"].every(isSkip)).toBe(true);
    expect(isSkip("4")).toBe(false);
  });
});
