// bookingDay: one London day of every resource, as the console's day view reads it: the active bookings and blocks
// that overlap the day (its edges in London time, across a clock change), and the mismatches of those bookings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookingDay } from "../../../hub/bookings";
import { startHub, type TestHub } from "../../support/hub";

describe("bookingDay", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  let counter = 0;

  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
  });
  afterAll(() => t?.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { key: manager.key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const resource = (body: Record<string, unknown> = {}) =>
    call("POST", "/resources", { name: `Day room ${++counter}`, capacity: 8, ...body });
  const hold = async (resourceId: string, startAt: string, minutes: number, deposit = 2500) => {
    const lead = await call("POST", "/inquiries", {
      source: "web_form",
      client: { name: `Guest ${++counter}`, email: `day${counter}@example.com` },
    });
    return call("POST", "/bookings", {
      inquiry_id: lead.id,
      resource_id: resourceId,
      start_at: startAt,
      duration_minutes: minutes,
      party_size: 2,
      deposit_amount: deposit,
    });
  };
  const roomOf = (day: Awaited<ReturnType<typeof bookingDay>>, id: string) =>
    day.resources.find((r) => r.resource.id === id);

  it("holds the day's held, awaiting-deposit and confirmed bookings and blocks, a block's clash marked", async () => {
    const room = await resource();
    const held = await hold(room.id, "2027-07-01T19:00", 120);
    const awaiting = await hold(room.id, "2027-07-01T12:00", 60);
    await call("POST", `/bookings/${awaiting.id}/accept`);
    const confirmed = await hold(room.id, "2027-07-01T15:00", 60, 0);
    await call("POST", `/bookings/${confirmed.id}/accept`);
    // 23:30 London in summer is 22:30 UTC: still the 1st. Past midnight into the 2nd: on both days.
    const late = await hold(room.id, "2027-07-01T23:30", 60, 0);
    await call("POST", `/bookings/${late.id}/accept`);
    const cancelled = await hold(room.id, "2027-07-01T09:00", 60);
    await call("POST", `/bookings/${cancelled.id}/cancel`, { reason: "changed plans" });
    const nextDay = await hold(room.id, "2027-07-02T19:00", 60);
    const block = await call("POST", `/resources/${room.id}/blocks`, {
      starts_at: "2027-07-01T18:30",
      ends_at: "2027-07-01T19:30",
      reason: "Boiler repair",
    });

    const day = await bookingDay(t.hub.db, "2027-07-01", new Date());
    expect(day.start.toISOString()).toBe("2027-06-30T23:00:00.000Z");
    expect(day.end.toISOString()).toBe("2027-07-01T23:00:00.000Z");
    const mine = roomOf(day, room.id)!;
    expect(mine.bookings.map((b) => [b.booking.id, b.booking.status])).toEqual([
      [awaiting.id, "awaiting_deposit"],
      [confirmed.id, "confirmed"],
      [held.id, "held"],
      [late.id, "confirmed"],
    ]);
    expect(mine.bookings[0]!.clientName).toMatch(/^Guest \d+$/);
    expect(mine.blocks.map((b) => [b.id, b.reason])).toEqual([[block.id, "Boiler repair"]]);
    const marked = mine.bookings.filter((b) => b.mismatches.length > 0);
    expect(marked.map((b) => [b.booking.id, b.mismatches.map((m) => m.kind)])).toEqual([[held.id, ["blocked"]]]);

    const second = roomOf(await bookingDay(t.hub.db, "2027-07-02", new Date()), room.id)!;
    expect(second.bookings.map((b) => b.booking.id)).toEqual([late.id, nextDay.id]);
    expect(second.blocks).toEqual([]);
  });

  it("takes a 23-hour day at the spring clock change; shows an inactive resource only with something on it", async () => {
    const room = await resource();
    const idle = await resource();
    const early = await hold(room.id, "2027-03-28T00:30", 30);
    const afterChange = await hold(room.id, "2027-03-28T23:30", 30);
    await call("PATCH", `/resources/${room.id}`, { status: "inactive" });
    await call("PATCH", `/resources/${idle.id}`, { status: "inactive" });

    const day = await bookingDay(t.hub.db, "2027-03-28", new Date());
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * 3600_000);
    expect(day.start.toISOString()).toBe("2027-03-28T00:00:00.000Z");
    const mine = roomOf(day, room.id)!;
    expect(mine.bookings.map((b) => b.booking.id)).toEqual([early.id, afterChange.id]);
    expect(mine.bookings.flatMap((b) => b.mismatches.map((m) => m.kind))).toEqual(["inactive", "inactive"]);
    expect(roomOf(day, idle.id)).toBeUndefined();
  });
});
