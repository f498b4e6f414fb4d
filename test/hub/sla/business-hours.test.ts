// SLA in business hours, end to end: the policy and holiday routes, deadlines through intake over a weekend, a bank
// holiday and a clock change, the wall clock unchanged, and the breach timer firing at a business deadline (on
// BullMQ when REDIS_URL is set, else on the in-process driver).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLondon, fromLondonWall, londonDate, toLondonWall, weekDayOf } from "../../../hub/core/time";
import { startHub, type TestHub } from "../../support/hub";

const OFFICE = ["mon", "tue", "wed", "thu", "fri"].map((day) => ({ day, opens: "09:00", closes: "18:00" }));
const pad = (n: number) => String(n).padStart(2, "0");
const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;

describe("SLA in business hours", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  let operator: { id: string; key: string };

  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
    operator = await t.createUser("operator");
  });
  afterAll(() => t.stop());

  const put = (source: string, body: unknown, key = manager.key) =>
    t.request("PUT", `/sla-policies/${source}`, { key, body });
  const lead = async (source: "web_form" | "partner", receivedAt: string) => {
    const res = await t.request("POST", "/inquiries", {
      key: operator.key,
      body: {
        source,
        client: { email: `${Math.random().toString(36).slice(2)}@example.com` },
        received_at: receivedAt,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; sla_deadline_at: string; sla_deadline_minutes: number };
  };
  const audit = (entityType: string, entityId: string) =>
    t.rows<{ actor_id: string; action: string; before: unknown; after: unknown }>(
      sql`select actor_id::text, action, before, after from audit_log where entity_type = ${entityType} and entity_id = ${entityId} order by id`,
    );

  describe("the policy", () => {
    it("takes the business clock with split shifts, shows it in the same shape, and audits the change", async () => {
      const hours = [
        { day: "sat", opens: "10:00", closes: "24:00" },
        { day: "mon", opens: "14:00", closes: "18:00" },
        { day: "mon", opens: "09:00", closes: "13:00" },
      ];
      const res = await put("telegram", { deadline_minutes: 30, clock: "business", business_hours: hours });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const sorted = [hours[2], hours[1], hours[0]];
      expect(res.body).toMatchObject({
        source: "telegram",
        deadline_minutes: 30,
        clock: "business",
        business_hours: sorted,
      });
      const list = await t.request("GET", "/sla-policies", { key: manager.key });
      expect(list.body.items.find((p: { source: string }) => p.source === "telegram")).toEqual(res.body);
      expect((await audit("sla_policy", "telegram")).at(-1)).toEqual({
        actor_id: manager.id,
        action: "sla_policy.updated",
        before: { deadline_minutes: 15, clock: "wall", business_hours: [] },
        after: { deadline_minutes: 30, clock: "business", business_hours: sorted },
      });
    });

    it("keeps the old body working: deadline_minutes alone is the wall clock", async () => {
      const res = await put("telegram", { deadline_minutes: 15 });
      expect(res.body).toMatchObject({ deadline_minutes: 15, clock: "wall", business_hours: [] });
    });

    it("refuses hours that cannot be, naming the field, and changes nothing", async () => {
      const cases: [unknown, string][] = [
        [{ deadline_minutes: 60, clock: "business" }, "business_hours"],
        [{ deadline_minutes: 60, clock: "business", business_hours: [] }, "business_hours"],
        [{ deadline_minutes: 60, business_hours: OFFICE }, "business_hours"],
        [{ deadline_minutes: 60, clock: "sundial" }, "clock"],
        [
          {
            deadline_minutes: 60,
            clock: "business",
            business_hours: [{ day: "monday", opens: "09:00", closes: "18:00" }],
          },
          "business_hours.0.day",
        ],
        [
          {
            deadline_minutes: 60,
            clock: "business",
            business_hours: [{ day: "mon", opens: "24:00", closes: "24:00" }],
          },
          "business_hours.0.opens",
        ],
        [
          { deadline_minutes: 60, clock: "business", business_hours: [{ day: "mon", opens: "9:00", closes: "18:00" }] },
          "business_hours.0.opens",
        ],
        [
          {
            deadline_minutes: 60,
            clock: "business",
            business_hours: [{ day: "mon", opens: "09:00", closes: "24:30" }],
          },
          "business_hours.0.closes",
        ],
        [
          {
            deadline_minutes: 60,
            clock: "business",
            business_hours: [{ day: "mon", opens: "18:00", closes: "09:00" }],
          },
          "business_hours.0.closes",
        ],
        [
          {
            deadline_minutes: 60,
            clock: "business",
            business_hours: [
              { day: "mon", opens: "09:00", closes: "13:00" },
              { day: "mon", opens: "12:30", closes: "18:00" },
            ],
          },
          "business_hours.1",
        ],
        [
          {
            deadline_minutes: 100,
            clock: "business",
            business_hours: [{ day: "mon", opens: "09:00", closes: "09:10" }],
          },
          "deadline_minutes",
        ],
      ];
      for (const [body, field] of cases) {
        const res = await put("partner", body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(
          res.body.errors.map((e: { field: string }) => e.field),
          JSON.stringify(res.body),
        ).toContain(field);
      }
      const list = await t.request("GET", "/sla-policies", { key: manager.key });
      expect(list.body.items.find((p: { source: string }) => p.source === "partner")).toMatchObject({
        deadline_minutes: 120,
        clock: "wall",
        business_hours: [],
      });
    });

    it("is for managers and above", async () => {
      expect((await put("web_form", { deadline_minutes: 60 }, operator.key)).status).toBe(403);
      expect((await t.request("GET", "/holidays", { key: operator.key })).status).toBe(403);
      expect(
        (await t.request("POST", "/holidays", { key: operator.key, body: { date: "2031-01-02", name: "x" } })).status,
      ).toBe(403);
      expect((await t.request("DELETE", "/holidays/2026-12-28", { key: operator.key })).status).toBe(403);
    });
  });

  describe("holidays", () => {
    it("come seeded with the England and Wales bank holidays, substitute days included", async () => {
      const res = await t.request("GET", "/holidays?from=2026-01-01&to=2027-12-31", { key: manager.key });
      expect(res.status).toBe(200);
      expect(res.body.items.map((h: { date: string }) => h.date)).toEqual([
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
      ]);
      expect(res.body.items[7]).toMatchObject({ name: "Boxing Day (substitute day)", created_by: null });
      const all = await t.request("GET", "/holidays", { key: manager.key });
      expect(all.body.items).toHaveLength(40);
    });

    it("are added and removed by a manager, audited, refusing a date twice or one that is not there", async () => {
      const add = await t.request("POST", "/holidays", {
        key: manager.key,
        body: { date: "2031-07-14", name: " Staff day " },
      });
      expect(add.status).toBe(201);
      expect(add.headers.get("location")).toBe("/holidays/2031-07-14");
      expect(add.body).toMatchObject({ date: "2031-07-14", name: "Staff day", created_by: manager.id });
      const again = await t.request("POST", "/holidays", {
        key: manager.key,
        body: { date: "2031-07-14", name: "Again" },
      });
      expect(again.status).toBe(409);
      expect(again.body.detail).toContain("Staff day");
      expect((await t.request("DELETE", "/holidays/2031-07-14", { key: manager.key })).status).toBe(204);
      expect((await t.request("DELETE", "/holidays/2031-07-14", { key: manager.key })).status).toBe(404);
      expect((await audit("holiday", "2031-07-14")).map((a) => [a.action, a.actor_id, a.before, a.after])).toEqual([
        ["holiday.added", manager.id, null, { date: "2031-07-14", name: "Staff day" }],
        ["holiday.removed", manager.id, { date: "2031-07-14", name: "Staff day" }, null],
      ]);
    });

    it("refuse a date that does not exist, and an empty name", async () => {
      for (const body of [
        { date: "2026-02-30", name: "x" },
        { date: "2031-01-02", name: " " },
        { date: "2031-01-02" },
      ]) {
        const res = await t.request("POST", "/holidays", { key: manager.key, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
      }
      expect((await t.request("DELETE", "/holidays/2026-13-01", { key: manager.key })).status).toBe(400);
      expect((await t.request("GET", "/holidays?from=yesterday", { key: manager.key })).status).toBe(400);
    });
  });

  describe("deadlines through intake", () => {
    beforeAll(async () => {
      expect((await put("web_form", { deadline_minutes: 60, clock: "business", business_hours: OFFICE })).status).toBe(
        200,
      );
    });
    afterAll(async () => {
      await put("web_form", { deadline_minutes: 60 });
    });

    it("carries a Friday 17:30 web lead over the weekend to 09:30 on Monday", async () => {
      const res = await lead("web_form", "2026-11-27T17:30:00");
      expect(res.sla_deadline_at).toBe("2026-11-30T09:30:00.000+00:00");
      expect(res.sla_deadline_minutes).toBe(60);
    });

    it("carries it to Tuesday when the Monday is a bank holiday (the seeded spring bank holiday, 25 May 2026)", async () => {
      expect((await lead("web_form", "2026-05-22T17:30:00")).sla_deadline_at).toBe("2026-05-26T09:30:00.000+01:00");
    });

    it("skips a date a manager closed, from the next lead on", async () => {
      await t.request("POST", "/holidays", { key: manager.key, body: { date: "2026-11-30", name: "Stocktake" } });
      expect((await lead("web_form", "2026-11-27T17:30:00")).sla_deadline_at).toBe("2026-12-01T09:30:00.000+00:00");
      await t.request("DELETE", "/holidays/2026-11-30", { key: manager.key });
      expect((await lead("web_form", "2026-11-27T17:30:00")).sla_deadline_at).toBe("2026-11-30T09:30:00.000+00:00");
    });

    it("counts real open minutes across the spring clock change", async () => {
      await put("partner", {
        deadline_minutes: 91,
        clock: "business",
        business_hours: [{ day: "sun", opens: "00:30", closes: "03:00" }, ...OFFICE],
      });
      // 00:30 GMT to 03:00 BST is 90 real minutes, so the 91st is Monday's first.
      const partner = await t.createPartner();
      const res = await t.request("POST", "/inquiries", {
        key: operator.key,
        body: {
          source: "partner",
          partner_code: partner.code,
          client: { email: "dst@example.com" },
          received_at: "2026-03-29T00:30:00Z",
        },
      });
      expect(res.body.sla_deadline_at).toBe("2026-03-30T09:01:00.000+01:00");
      await put("partner", { deadline_minutes: 120 });
    });

    it("leaves the wall clock exactly as it was for the other sources", async () => {
      const res = await t.request("POST", "/inquiries", {
        key: operator.key,
        body: {
          source: "whatsapp",
          external_chat_id: "447911300001",
          external_message_id: `wamid.${Math.random().toString(36).slice(2)}`,
          received_at: "2026-10-25T00:45:00+01:00",
        },
      });
      await put("whatsapp", { deadline_minutes: 30 });
      const second = await t.request("POST", "/inquiries", {
        key: operator.key,
        body: {
          source: "whatsapp",
          external_chat_id: "447911300002",
          external_message_id: `wamid.${Math.random().toString(36).slice(2)}`,
          received_at: "2026-10-25T00:45:00+01:00",
        },
      });
      await put("whatsapp", { deadline_minutes: 15 });
      // 00:45 BST + 15 or 30 wall minutes is wall 01:00 or 01:15: the later (GMT) pass, as PostgreSQL computes it.
      expect(res.body.sla_deadline_at).toBe("2026-10-25T01:00:00.000+00:00");
      expect(second.body.sla_deadline_at).toBe("2026-10-25T01:15:00.000+00:00");
    });
  });

  it("raises the breach at a business deadline, not at the wall-clock one", async () => {
    // Wait for a moment of the day with room around it: a few minutes from midnight and early in a minute.
    for (;;) {
      const wall = toLondonWall(new Date());
      const minute = wall.hour * 60 + wall.minute;
      if (wall.second <= 45 && minute >= 3 && minute <= 1420) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const now = new Date();
    const today = londonDate(now);
    const wall = toLondonWall(now);
    const minute = wall.hour * 60 + wall.minute;
    // Today open for one minute three minutes ago, closed for two, then open again from this minute on.
    const day = weekDayOf(today);
    const hours = [
      { day, opens: clock(minute - 3), closes: clock(minute - 2) },
      { day, opens: clock(minute), closes: clock(minute + 10) },
    ];
    // Today may be a bank holiday; it must not be here.
    await t.request("DELETE", `/holidays/${today}`, { key: manager.key });
    expect((await put("web_form", { deadline_minutes: 1, clock: "business", business_hours: hours })).status).toBe(200);

    const openedNow = fromLondonWall({ ...wall, second: 0, millisecond: 0 }).getTime();
    const secondsNow = wall.second + 8; // due 7–8 s from now, in this minute's period
    const receivedAt = new Date(openedNow - 120_000 - (60 - secondsNow) * 1000);
    const due = new Date(openedNow + secondsNow * 1000);
    const created = await lead("web_form", receivedAt.toISOString());
    await put("web_form", { deadline_minutes: 60 });
    expect(created.sla_deadline_at).toBe(formatLondon(due));
    // On the wall clock it would have been due almost two minutes ago.
    expect(receivedAt.getTime() + 60_000).toBeLessThan(Date.now() - 60_000);

    const breachedAt = async () =>
      (await t.rows<{ at: Date | null }>(sql`select sla_breached_at as at from inquiries where id = ${created.id}`))[0]!
        .at;
    await expect.poll(breachedAt, { timeout: 20_000, interval: 50 }).not.toBeNull();
    const breached = new Date((await breachedAt())!);
    expect(breached.getTime()).toBeGreaterThanOrEqual(due.getTime() - 1000);
    expect(breached.getTime() - due.getTime()).toBeLessThan(1000);
    // Up to 15 s waiting for the right moment of the minute, then up to 20 s for the breach: more than vitest's 30 s.
  }, 60_000);
});
