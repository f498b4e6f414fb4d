// GET /inquiries/{id}/matches: what fits, scored the same way every time, with the nearest free times when taken.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

// The hub's clock runs from 1 January 2026 (in real time from there), so these 2026 dates are still to come.
const SHIFT_MS = Date.now() - Date.parse("2026-01-01T00:00:00Z");
const clock = () => new Date(Date.now() - SHIFT_MS);

describe("the matching engine", () => {
  let t: TestHub;
  let small: { id: string }; // 4 seats, tagged dinner
  let large: { id: string }; // 10 seats, tagged dinner

  beforeAll(async () => {
    t = await startHub({ overrides: { now: clock } });
    const resource = async (body: Record<string, unknown>) => (await t.request("POST", "/resources", { body })).body;
    small = await resource({ name: "Alcove", capacity: 4, tags: ["dinner"] });
    large = await resource({ name: "Great Hall", capacity: 10, tags: ["dinner", "party"] });
    await resource({ name: "Bar", capacity: 6, opening_hours: [{ day: "sat", opens: "17:00", closes: "23:00" }] });
    await resource({ name: "Tiny", capacity: 2, tags: ["dinner"] });
    await resource({ name: "Closed", capacity: 20, status: "inactive" });
  });
  afterAll(() => t.stop());

  const lead = async (body: Record<string, unknown>) =>
    (
      await t.request("POST", "/inquiries", {
        body: { source: "web_form", client: { email: `m${Math.random()}@example.com` }, ...body },
      })
    ).body;
  const matches = async (inquiryId: string, query = "") => {
    const res = await t.request("GET", `/inquiries/${inquiryId}/matches?duration_minutes=120${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as {
      resource_name: string;
      start_at: string;
      end_at: string;
      score: number;
      reasons: string[];
    }[];
  };

  it("ranks what fits at the time asked for: service tags, then fewer empty seats; too small or inactive never", async () => {
    const inquiry = await lead({ party_size: 4, service: "Birthday dinner", requested_start_at: "2026-06-13T19:00" });
    const items = await matches(inquiry.id);
    expect(items.map((m) => [m.resource_name, m.start_at, m.score])).toEqual([
      ["Alcove", "2026-06-13T19:00:00.000+01:00", 120], // 100 + 20 (dinner) − 0 (no empty seats)
      ["Great Hall", "2026-06-13T19:00:00.000+01:00", 114], // 100 + 20 − 10 × 6/10
      ["Bar", "2026-06-13T19:00:00.000+01:00", 96.67], // 100 − 10 × 2/6
    ]);
    expect(items[0]!.reasons).toEqual([
      "free at the time asked for",
      "holds 4; the party is 4",
      'tagged "dinner", as the service asked for',
    ]);
    expect(items[0]!.end_at).toBe("2026-06-13T21:00:00.000+01:00");
    // The same data, the same answer.
    expect(await matches(inquiry.id)).toEqual(items);
  });

  it("offers the nearest free times the same London day when the time asked for is taken", async () => {
    const other = await lead({});
    await t.request("POST", "/bookings", {
      body: {
        inquiry_id: other.id,
        resource_id: small.id,
        start_at: "2026-06-20T19:00",
        duration_minutes: 120,
        deposit_amount: 0,
      },
    });
    const inquiry = await lead({ party_size: 4, service: "dinner" });
    const items = await matches(inquiry.id, "&at=2026-06-20T19:00");
    const alcove = items.filter((m) => m.resource_name === "Alcove");
    // Taken 19:00–21:00: 17:00 (ending as that booking starts) and 21:00 are equally near; the earlier first.
    expect(alcove.map((m) => [m.start_at, m.score])).toEqual([
      ["2026-06-20T17:00:00.000+01:00", 96],
      ["2026-06-20T21:00:00.000+01:00", 96],
    ]);
    expect(alcove[0]!.reasons[0]).toBe(
      "Sat 20 Jun 2026, 19:00 BST is taken; Sat 20 Jun 2026, 17:00 BST is the nearest free time (120 min away)",
    );
    expect(items[0]).toMatchObject({
      resource_name: "Great Hall",
      start_at: "2026-06-20T19:00:00.000+01:00",
      score: 114,
    });
  });

  it("keeps to opening hours and blocks for the whole window", async () => {
    await t.request("POST", `/resources/${large.id}/blocks`, {
      body: { starts_at: "2026-06-27T20:00", ends_at: "2026-06-27T20:30", reason: "Sound check" },
    });
    const inquiry = await lead({ party_size: 3, requested_start_at: "2026-06-27T22:00" });
    const items = await matches(inquiry.id);
    // The Bar closes at 23:00: 22:00 + 2 h does not fit; 21:00 does.
    expect(items.find((m) => m.resource_name === "Bar")?.start_at).toBe("2026-06-27T21:00:00.000+01:00");
    // The Great Hall is blocked 20:00–20:30: 19:00 + 2 h does not fit; 18:00 (ending as the block starts, 60 min
    // away) and 17:45 (75 min) are nearer than 20:30 (90 min).
    const hall = await matches(inquiry.id, "&at=2026-06-27T19:00");
    expect(hall.filter((m) => m.resource_name === "Great Hall").map((m) => m.start_at)).toEqual([
      "2026-06-27T18:00:00.000+01:00",
      "2026-06-27T17:45:00.000+01:00",
    ]);
  });

  it("asks for a time when the inquiry names none", async () => {
    const inquiry = await lead({ party_size: 2 });
    const res = await t.request("GET", `/inquiries/${inquiry.id}/matches`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: "at", message: "is required: the inquiry names no time" }]);
  });
});
