// Resources, blocks, availability and bookings through the API: the rules, concurrency, London time, the life cycle.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVE_BOOKING_STATUSES, auditLog, outboxEvents } from "../../../db/schema";
import { startHub, type TestHub } from "../../support/hub";

// The hub's clock runs from 1 January 2026 (in real time from there), so these 2026 dates are still to come.
const SHIFT_MS = Date.now() - Date.parse("2026-01-01T00:00:00Z");
const clock = () => new Date(Date.now() - SHIFT_MS);

const POLL = { timeout: 15_000, interval: 50 };

describe("resources and bookings", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  let operator: { id: string; key: string };
  let counter = 0;

  beforeAll(async () => {
    t = await startHub({ overrides: { now: clock }, env: { BOOKING_HOLD_MINUTES: "0.05" } });
    manager = await t.createUser("manager");
    operator = await t.createUser("operator");
  });
  afterAll(() => t.stop());

  const resource = async (body: Record<string, unknown> = {}) => {
    const res = await t.request("POST", "/resources", {
      key: manager.key,
      body: { name: `Room ${++counter}`, capacity: 8, ...body },
    });
    if (res.status !== 201) throw new Error(`resource: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const inquiry = async (body: Record<string, unknown> = {}) =>
    (
      await t.request("POST", "/inquiries", {
        key: operator.key,
        body: { source: "web_form", client: { email: `b${++counter}@example.com` }, ...body },
      })
    ).body;
  const hold = (body: Record<string, unknown>) =>
    t.request("POST", "/bookings", { key: operator.key, body: { deposit_amount: 2500, ...body } });

  describe("resources", () => {
    it("creates, lists, reads and changes a resource (manager and above), audited", async () => {
      const created = await t.request("POST", "/resources", {
        key: manager.key,
        body: {
          name: "Thames Room",
          capacity: 12,
          tags: ["dinner", "private"],
          opening_hours: [{ day: "fri", opens: "18:00", closes: "01:00" }],
        },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: "Thames Room",
        capacity: 12,
        tags: ["dinner", "private"],
        opening_hours: [{ day: "fri", opens: "18:00", closes: "01:00" }],
        status: "active",
        created_at: expect.stringMatching(/[+-]0[01]:00$/),
      });
      expect((await t.request("GET", `/resources/${created.body.id}`, { key: operator.key })).body.name).toBe(
        "Thames Room",
      );
      expect(
        (await t.request("GET", "/resources", { key: operator.key })).body.items.map((r: { id: string }) => r.id),
      ).toContain(created.body.id);
      const changed = await t.request("PATCH", `/resources/${created.body.id}`, {
        key: manager.key,
        body: { capacity: 10 },
      });
      expect(changed.body).toMatchObject({ capacity: 10, name: "Thames Room" });
      const audits = await t.hub.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entityId, created.body.id))
        .orderBy(auditLog.id);
      expect(audits.map((a) => a.action)).toEqual(["resource.created", "resource.updated"]);
      expect(
        (await t.request("POST", "/resources", { key: operator.key, body: { name: "x", capacity: 1 } })).status,
      ).toBe(403);
    });

    it("says what is wrong with a resource", async () => {
      const bad = async (body: unknown) =>
        (await t.request("POST", "/resources", { key: manager.key, body })).body.errors;
      expect(await bad({ name: "x", capacity: 0 })).toEqual([{ field: "capacity", message: "must be at least 1" }]);
      expect(
        await bad({ name: "x", capacity: 2, opening_hours: [{ day: "funday", opens: "9", closes: "25:00" }] }),
      ).toEqual([
        { field: "opening_hours.0.day", message: "must be one of mon, tue, wed, thu, fri, sat, sun" },
        { field: "opening_hours.0.opens", message: "must be a London wall time HH:MM, 00:00 to 23:59" },
        {
          field: "opening_hours.0.closes",
          message: "must be a London wall time HH:MM, 00:00 to 23:59; at or before opens means the next day",
        },
      ]);
      expect((await t.request("GET", "/resources/not-a-uuid", { key: manager.key })).status).toBe(400);
      expect(
        (await t.request("GET", "/resources/00000000-0000-4000-8000-00000000dead", { key: manager.key })).status,
      ).toBe(404);
    });

    it("lists a London day's free start times: opening hours past midnight, blocks and bookings taken out", async () => {
      // Fri 4 Dec 2026: open 22:00 to 01:00 Saturday.
      const room = await resource({ opening_hours: [{ day: "fri", opens: "22:00", closes: "01:00" }] });
      const free = async () =>
        (
          await t.request("GET", `/resources/${room.id}/availability?date=2026-12-04&duration_minutes=60`, {
            key: operator.key,
          })
        ).body.starts;
      expect(await free()).toEqual([
        "2026-12-04T22:00:00.000+00:00",
        "2026-12-04T22:15:00.000+00:00",
        "2026-12-04T22:30:00.000+00:00",
        "2026-12-04T22:45:00.000+00:00",
        "2026-12-04T23:00:00.000+00:00",
        "2026-12-04T23:15:00.000+00:00",
        "2026-12-04T23:30:00.000+00:00",
        "2026-12-04T23:45:00.000+00:00",
      ]);
      const block = await t.request("POST", `/resources/${room.id}/blocks`, {
        key: manager.key,
        body: { starts_at: "2026-12-04T22:00", ends_at: "2026-12-04T22:30", reason: "Cleaning" },
      });
      expect(block.status).toBe(201);
      const booked = await hold({
        inquiry_id: (await inquiry()).id,
        resource_id: room.id,
        start_at: "2026-12-04T23:30",
        duration_minutes: 30,
      });
      expect(booked.status).toBe(201);
      expect(await free()).toEqual(["2026-12-04T22:30:00.000+00:00"]);
      // Saturday's small hours belong to Friday's opening: free from midnight to 00:00 for 60 minutes.
      const saturday = (
        await t.request("GET", `/resources/${room.id}/availability?date=2026-12-05&duration_minutes=60`, {
          key: operator.key,
        })
      ).body.starts;
      expect(saturday).toEqual(["2026-12-05T00:00:00.000+00:00"]);
      const blocks = await t.request("GET", `/resources/${room.id}/blocks?from=2026-12-04T00:00&to=2026-12-05T00:00`, {
        key: operator.key,
      });
      expect(blocks.body.items).toEqual([
        expect.objectContaining({ reason: "Cleaning", starts_at: "2026-12-04T22:00:00.000+00:00" }),
      ]);
      expect(
        (await t.request("DELETE", `/resources/${room.id}/blocks/${block.body.id}`, { key: manager.key })).status,
      ).toBe(204);
      expect((await free()).slice(0, 2)).toEqual(["2026-12-04T22:00:00.000+00:00", "2026-12-04T22:15:00.000+00:00"]);
      expect(
        (
          await t.request("GET", `/resources/${room.id}/availability?date=2026-13-40&duration_minutes=60`, {
            key: operator.key,
          })
        ).status,
      ).toBe(400);
    });
  });

  describe("holds", () => {
    it("holds a slot: 201 with the booking in London time and minor units; the inquiry is being worked on", async () => {
      const room = await resource();
      const lead = await inquiry({ party_size: 4 });
      const res = await hold({
        inquiry_id: lead.reference,
        resource_id: room.id,
        start_at: "2026-07-10T19:00",
        duration_minutes: 120,
        total_amount: 10_000,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        reference: expect.stringMatching(/^BKG-\d+$/),
        inquiry_id: lead.id,
        client_id: lead.client_id,
        resource_id: room.id,
        start_at: "2026-07-10T19:00:00.000+01:00",
        end_at: "2026-07-10T21:00:00.000+01:00",
        party_size: 4,
        status: "held",
        deposit_amount: 2500,
        total_amount: 10_000,
        currency: "GBP",
        proposed_at: null,
        accepted_at: null,
      });
      expect(res.body.hold_expires_at).toMatch(/[+-]0[01]:00$/);
      expect((await t.request("GET", `/inquiries/${lead.id}`)).body.status).toBe("in_progress");
      expect((await t.request("GET", `/bookings/${res.body.reference}`)).body.id).toBe(res.body.id);
      const events = await t.hub.db
        .select({ type: outboxEvents.type })
        .from(outboxEvents)
        .where(eq(outboxEvents.aggregateId, res.body.id));
      expect(events.map((e) => e.type)).toEqual(["booking.held"]);
    });

    it("refuses an overlapping hold with 409 naming the booking in the way; touching ends are fine", async () => {
      const room = await resource();
      const first = await hold({
        inquiry_id: (await inquiry()).id,
        resource_id: room.id,
        start_at: "2026-07-11T18:00",
        end_at: "2026-07-11T20:00",
      });
      const clash = await hold({
        inquiry_id: (await inquiry()).id,
        resource_id: room.id,
        start_at: "2026-07-11T19:30",
        duration_minutes: 60,
      });
      expect(clash.status).toBe(409);
      expect(clash.body.detail).toBe(
        `${room.name} is already booked from Sat 11 Jul 2026, 18:00 BST to Sat 11 Jul 2026, 20:00 BST (${first.body.reference}).`,
      );
      expect(
        (
          await hold({
            inquiry_id: (await inquiry()).id,
            resource_id: room.id,
            start_at: "2026-07-11T20:00",
            duration_minutes: 60,
          })
        ).status,
      ).toBe(201);
    });

    it("refuses with 422 what the resource cannot take, saying which rule: hours, block, capacity, inactive", async () => {
      const room = await resource({ capacity: 4, opening_hours: [{ day: "mon", opens: "12:00", closes: "15:00" }] });
      const lead = (await inquiry()).id;
      const refusal = async (body: Record<string, unknown>) => {
        const res = await hold({ inquiry_id: lead, resource_id: room.id, ...body });
        expect(res.status).toBe(422);
        return res.body.detail as string;
      };
      expect(await refusal({ start_at: "2026-07-13T14:00", duration_minutes: 120 })).toContain(
        "is not open for the whole of Mon 13 Jul 2026, 14:00 BST to Mon 13 Jul 2026, 16:00 BST",
      );
      expect(await refusal({ start_at: "2026-07-13T12:00", duration_minutes: 60, party_size: 5 })).toBe(
        `${room.name} holds 4; the party is 5.`,
      );
      await t.request("POST", `/resources/${room.id}/blocks`, {
        key: manager.key,
        body: { starts_at: "2026-07-13T13:00", ends_at: "2026-07-13T14:00", reason: "Staff training" },
      });
      expect(await refusal({ start_at: "2026-07-13T12:30", duration_minutes: 60 })).toContain(
        "is blocked from Mon 13 Jul 2026, 13:00 BST to Mon 13 Jul 2026, 14:00 BST: Staff training.",
      );
      // A time already begun (the hub's clock is at 1 January 2026 here).
      const past = await hold({
        inquiry_id: lead,
        resource_id: room.id,
        start_at: "2025-12-29T12:00",
        duration_minutes: 60,
      });
      expect(past).toMatchObject({
        status: 422,
        body: {
          detail: "start_at: 2025-12-29T12:00:00.000+00:00 has begun already; a booking starts in the future.",
          errors: [{ field: "start_at", message: "must be in the future" }],
        },
      });
      await t.request("PATCH", `/resources/${room.id}`, { key: manager.key, body: { status: "inactive" } });
      expect(await refusal({ start_at: "2026-07-13T12:00", duration_minutes: 30 })).toContain("is inactive");
      const count = await t.hub.database.rows<{ n: string }>(
        sql`select count(*)::text as n from bookings where resource_id = ${room.id}`,
      );
      expect(count[0]!.n).toBe("0");
    });

    it("says what is wrong with a booking request", async () => {
      const room = await resource();
      const lead = (await inquiry()).id;
      const errors = async (body: Record<string, unknown>) =>
        (
          await t.request("POST", "/bookings", {
            key: operator.key,
            body: { inquiry_id: lead, resource_id: room.id, start_at: "2026-07-14T12:00", ...body },
          })
        ).body.errors;
      expect(await errors({ deposit_amount: 2500 })).toEqual([
        { field: "end_at", message: "give either end_at or duration_minutes" },
      ]);
      expect(await errors({ deposit_amount: 25.5, duration_minutes: 60 })).toEqual([
        { field: "deposit_amount", message: "deposit_amount must be a whole number of minor units (pence)" },
      ]);
      expect(await errors({ deposit_amount: 100, duration_minutes: 60, currency: "XYZ" })).toEqual([
        { field: "currency", message: "must be an ISO 4217 currency code, e.g. GBP" },
      ]);
      expect(await errors({ deposit_amount: 100, end_at: "2026-07-14T11:00" })).toEqual([
        { field: "end_at", message: "must be after start_at" },
      ]);
      expect(await errors({ deposit_amount: 100, duration_minutes: 60, total_amount: 50 })).toEqual([
        { field: "total_amount", message: "must not be less than deposit_amount" },
      ]);
      expect(
        (
          await t.request("POST", "/bookings", {
            key: operator.key,
            body: {
              inquiry_id: "INQ-999999",
              resource_id: room.id,
              start_at: "2026-07-14T12:00",
              duration_minutes: 60,
              deposit_amount: 0,
            },
          })
        ).status,
      ).toBe(404);
    });

    it("lets exactly one of 20 concurrent holds of one slot win: one 201, nineteen 409", async () => {
      const room = await resource();
      const leads = await Promise.all(Array.from({ length: 20 }, () => inquiry()));
      const answers = await Promise.all(
        leads.map((lead) =>
          hold({ inquiry_id: lead.id, resource_id: room.id, start_at: "2026-08-01T19:00", duration_minutes: 120 }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array(19).fill(409)]);
      const active = await t.hub.database.rows<{ n: string }>(
        sql`select count(*)::text as n from bookings where resource_id = ${room.id} and status in ('held', 'awaiting_deposit', 'confirmed')`,
      );
      expect(active[0]!.n).toBe("1");
    });

    it("keeps elapsed time across both clock changes, and a pair of London wall times as given", async () => {
      const room = await resource();
      const lead = (await inquiry()).id;
      // 25 Oct 2026, clocks go back at 02:00 BST: 00:30 BST plus three hours is 02:30 GMT.
      const autumn = await hold({
        inquiry_id: lead,
        resource_id: room.id,
        start_at: "2026-10-25T00:30",
        duration_minutes: 180,
      });
      expect(autumn.body).toMatchObject({
        start_at: "2026-10-25T00:30:00.000+01:00",
        end_at: "2026-10-25T02:30:00.000+00:00",
      });
      // 29 Mar 2026, clocks go forward at 01:00 GMT: 00:30 GMT plus three hours is 04:30 BST.
      const spring = await hold({
        inquiry_id: lead,
        resource_id: room.id,
        start_at: "2026-03-29T00:30",
        duration_minutes: 180,
      });
      expect(spring.body).toMatchObject({
        start_at: "2026-03-29T00:30:00.000+00:00",
        end_at: "2026-03-29T04:30:00.000+01:00",
      });
      // Wall times given as a pair are kept: 00:00 to 04:00 on the autumn night is five real hours.
      const pair = await hold({
        inquiry_id: lead,
        resource_id: room.id,
        start_at: "2026-10-25T10:00",
        end_at: "2026-10-25T12:00",
      });
      expect(pair.body).toMatchObject({
        start_at: "2026-10-25T10:00:00.000+00:00",
        end_at: "2026-10-25T12:00:00.000+00:00",
      });
      const night = await hold({
        inquiry_id: lead,
        resource_id: (await resource()).id,
        start_at: "2026-10-25T00:00",
        end_at: "2026-10-25T04:00",
      });
      const ms = new Date(night.body.end_at).getTime() - new Date(night.body.start_at).getTime();
      expect(ms).toBe(5 * 3600_000);
    });
  });

  describe("the life cycle", () => {
    it("accepts with no deposit straight to confirmed: the inquiry is booked; a cancellation returns it to in_progress", async () => {
      const room = await resource();
      const lead = await inquiry();
      const booking = (
        await t.request("POST", "/bookings", {
          key: operator.key,
          body: {
            inquiry_id: lead.id,
            resource_id: room.id,
            start_at: "2026-09-01T12:00",
            duration_minutes: 60,
            deposit_amount: 0,
          },
        })
      ).body;
      const accepted = await t.request("POST", `/bookings/${booking.id}/accept`, { key: operator.key });
      expect(accepted.body).toMatchObject({
        status: "confirmed",
        accepted_at: expect.any(String),
        confirmed_at: expect.any(String),
      });
      expect((await t.request("GET", `/inquiries/${lead.id}`)).body.status).toBe("booked");
      expect((await t.request("POST", `/bookings/${booking.id}/accept`, { key: operator.key })).body.status).toBe(
        "confirmed",
      ); // again: nothing new
      const cancelled = await t.request("POST", `/bookings/${booking.id}/cancel`, {
        key: operator.key,
        body: { reason: "The guest is ill" },
      });
      expect(cancelled.body).toMatchObject({ status: "cancelled", cancel_reason: "The guest is ill" });
      expect((await t.request("GET", `/inquiries/${lead.id}`)).body.status).toBe("in_progress");
      expect(
        (await t.request("POST", `/bookings/${booking.id}/cancel`, { key: operator.key, body: { reason: "again" } }))
          .status,
      ).toBe(409);
      const events = await t.hub.db
        .select({ type: outboxEvents.type })
        .from(outboxEvents)
        .where(eq(outboxEvents.aggregateId, booking.id))
        .orderBy(outboxEvents.createdAt);
      expect(events.map((e) => e.type)).toEqual(["booking.held", "booking.confirmed", "booking.cancelled"]);
      const audits = await t.hub.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(eq(auditLog.entityId, booking.id))
        .orderBy(auditLog.id);
      expect(audits.map((a) => a.action)).toEqual(["booking.held", "booking.confirmed", "booking.cancelled"]);
      // The slot is free again.
      expect(
        (await hold({ inquiry_id: lead.id, resource_id: room.id, start_at: "2026-09-01T12:00", duration_minutes: 60 }))
          .status,
      ).toBe(201);
    });

    it("accepts with a deposit to awaiting_deposit", async () => {
      const room = await resource();
      const booking = (
        await hold({
          inquiry_id: (await inquiry()).id,
          resource_id: room.id,
          start_at: "2026-09-02T12:00",
          duration_minutes: 60,
        })
      ).body;
      expect((await t.request("POST", `/bookings/${booking.id}/accept`, { key: operator.key })).body).toMatchObject({
        status: "awaiting_deposit",
        confirmed_at: null,
      });
    });

    it("expires a hold nobody accepted at hold_expires_at, through the job queue, and frees its slot", async () => {
      const room = await resource();
      const booking = (
        await hold({
          inquiry_id: (await inquiry()).id,
          resource_id: room.id,
          start_at: "2026-09-03T12:00",
          duration_minutes: 60,
        })
      ).body;
      await expect
        .poll(async () => (await t.request("GET", `/bookings/${booking.id}`)).body.status, POLL)
        .toBe("expired");
      const expired = (await t.request("GET", `/bookings/${booking.id}`)).body;
      expect(new Date(expired.cancelled_at).getTime() - new Date(expired.hold_expires_at).getTime()).toBeLessThan(1500);
      expect((await t.request("POST", `/bookings/${booking.id}/accept`, { key: operator.key })).status).toBe(409);
      expect(
        (
          await hold({
            inquiry_id: (await inquiry()).id,
            resource_id: room.id,
            start_at: "2026-09-03T12:00",
            duration_minutes: 60,
          })
        ).status,
      ).toBe(201);
    });

    it("pages and filters bookings", async () => {
      const room = await resource();
      const lead = (await inquiry()).id;
      for (const day of ["10", "11", "12"])
        await hold({ inquiry_id: lead, resource_id: room.id, start_at: `2026-10-${day}T12:00`, duration_minutes: 60 });
      const first = (await t.request("GET", `/bookings?resource_id=${room.id}&limit=2`)).body;
      expect(first.items.map((b: { start_at: string }) => b.start_at.slice(0, 10))).toEqual([
        "2026-10-12",
        "2026-10-11",
      ]);
      const second = (await t.request("GET", `/bookings?resource_id=${room.id}&limit=2&cursor=${first.next_cursor}`))
        .body;
      expect(second).toMatchObject({
        items: [expect.objectContaining({ start_at: "2026-10-10T12:00:00.000+01:00" })],
        next_cursor: null,
      });
      const ranged = (
        await t.request("GET", `/bookings?resource_id=${room.id}&from=2026-10-11T00:00&to=2026-10-12T00:00&status=held`)
      ).body.items;
      expect(ranged).toHaveLength(1);
    });
  });

  describe("availability mismatches", () => {
    it("lists the active bookings a later change left their resource unable to take, and counts them on /health", async () => {
      // Far ahead, so that the bookings are not over; every resource of its own.
      const room = await resource({ capacity: 6, opening_hours: [{ day: "sat", opens: "12:00", closes: "23:00" }] });
      const other = await resource({ capacity: 6 });
      const lead = (await inquiry()).id;
      const saturday = (
        await hold({
          inquiry_id: lead,
          resource_id: room.id,
          start_at: "2030-06-01T19:00",
          duration_minutes: 120,
          party_size: 5,
        })
      ).body;
      const untouched = (
        await hold({ inquiry_id: lead, resource_id: other.id, start_at: "2030-06-01T19:00", duration_minutes: 60 })
      ).body;
      const listed = async () =>
        (
          (await t.request("GET", "/availability/mismatches", { key: manager.key })).body.items as {
            booking_id: string;
            kind: string;
          }[]
        ).filter((m) => m.booking_id === saturday.id || m.booking_id === untouched.id);
      expect(await listed()).toEqual([]);

      await t.request("POST", `/resources/${room.id}/blocks`, {
        key: manager.key,
        body: { starts_at: "2030-06-01T20:00", ends_at: "2030-06-01T22:00", reason: "Flood" },
      });
      await t.request("PATCH", `/resources/${room.id}`, {
        key: manager.key,
        body: { capacity: 4, opening_hours: [{ day: "sat", opens: "12:00", closes: "20:00" }] },
      });
      const found = await listed();
      expect(found.map((m) => m.kind).sort()).toEqual(["blocked", "closed", "over_capacity"]);
      expect(found[0]).toMatchObject({
        booking_id: saturday.id,
        reference: saturday.reference,
        resource_id: room.id,
        since: expect.stringMatching(/[+-]0[01]:00$/),
      });
      // A time already begun (the hub's clock is at 1 January 2026 here).
      const past = await hold({
        inquiry_id: lead,
        resource_id: room.id,
        start_at: "2025-12-29T12:00",
        duration_minutes: 60,
      });
      expect(past).toMatchObject({
        status: 422,
        body: {
          detail: "start_at: 2025-12-29T12:00:00.000+00:00 has begun already; a booking starts in the future.",
          errors: [{ field: "start_at", message: "must be in the future" }],
        },
      });
      await t.request("PATCH", `/resources/${room.id}`, { key: manager.key, body: { status: "inactive" } });
      expect((await listed()).map((m) => m.kind)).toContain("inactive");

      const health = (await t.request("GET", "/health", { key: operator.key })).body;
      expect(health.availability_mismatches).toBeGreaterThanOrEqual(1);
      expect(health.warnings).toContainEqual(
        expect.stringMatching(/active booking\(s\) their resource can no longer take/),
      );
      expect((await t.request("GET", "/availability/mismatches", { key: operator.key })).status).toBe(403);

      // Cancelled, it no longer counts.
      await t.request("POST", `/bookings/${saturday.id}/cancel`, { key: operator.key, body: { reason: "Flood" } });
      expect(await listed()).toEqual([]);
    });
  });

  it("keeps the exclusion constraint and ACTIVE_BOOKING_STATUSES naming the same statuses", async () => {
    const [row] = await t.hub.database.rows<{ def: string }>(
      sql`select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'bookings_no_overlap'`,
    );
    const inConstraint = ["held", "awaiting_deposit", "confirmed", "completed", "cancelled", "expired"].filter((s) =>
      row!.def.includes(`'${s}'`),
    );
    expect(inConstraint).toEqual([...ACTIVE_BOOKING_STATUSES]);
  });
});
