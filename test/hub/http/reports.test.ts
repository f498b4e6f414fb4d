// GET /reports/daily: inquiries counted on their London date (summer time moves a late evening to the next day),
// one item per day and source with zeros, the CSV download, and 400s naming the field.
import pino from "pino";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventBus } from "../../../hub/core/events/bus";
import type { HubEvent } from "../../../hub/core/events/types";
import type { Job } from "../../../hub/core/jobs/driver";
import { INQUIRY_SOURCES } from "../../../db/schema";
import { subscribeMetrics } from "../../../hub/metrics";
import { startHub, type TestHub } from "../../support/hub";

const POLL = { timeout: 10_000, interval: 50 };

describe("GET /reports/daily", () => {
  let t: TestHub;
  let manager: { key: string };
  let operator: { key: string };
  let n = 0;
  const receive = async (receivedAt: string) => {
    const res = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: `r${++n}@example.com` }, received_at: receivedAt },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const report = (query: string, key = manager.key, headers: Record<string, string> = {}) =>
    t.request("GET", `/reports/daily?${query}`, { key, headers });
  const day = async (date: string) =>
    (await report(`from=${date}&to=${date}&source=web_form`)).body.items[0].total_count as number;

  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
    operator = await t.createUser("operator");
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("counts an inquiry on the London date it arrived: 23:30 UTC is the next day in summer, the same day in winter", async () => {
    await receive("2026-07-01T23:30:00Z");
    await receive("2026-01-10T23:30:00Z");
    // The last Sunday of October 2026: 23:30 UTC on the 24th is 00:30 BST on the 25th; on the 25th it is 23:30 GMT.
    await receive("2026-10-24T23:30:00Z");
    await receive("2026-10-25T23:30:00Z");
    await expect.poll(() => day("2026-07-02"), POLL).toBe(1);
    await expect.poll(() => day("2026-01-10"), POLL).toBe(1);
    await expect.poll(() => day("2026-10-25"), POLL).toBe(2);
    expect(await day("2026-07-01")).toBe(0);
    expect(await day("2026-01-11")).toBe(0);
    expect(await day("2026-10-24")).toBe(0);
  });

  it("counts an event delivered twice once", async () => {
    const inquiry = await receive("2026-02-03T12:00:00Z");
    await expect.poll(() => day("2026-02-03"), POLL).toBe(1);
    const [row] = await t.rows<{ id: string; type: string; payload: HubEvent["payload"]; created_at: Date }>(
      sql`select id, type, payload, created_at from outbox_events where type = 'inquiry.created' and aggregate_id = ${inquiry.id}`,
    );
    // The same event again, as a second delivery of its job would bring it (a bus of its own, the same subscribers).
    const bus = new EventBus(t.hub.database.db, pino({ level: "silent" }));
    subscribeMetrics(bus);
    const event = {
      id: row!.id,
      type: row!.type,
      payload: row!.payload,
      created_at: new Date(row!.created_at).toISOString(),
    };
    await bus.dispatch({
      id: row!.id,
      queue: "events",
      name: row!.type,
      data: event,
      attempt: 2,
      maxAttempts: 5,
    } as Job<HubEvent>);
    await bus.dispatch({
      id: row!.id,
      queue: "events",
      name: row!.type,
      data: event,
      attempt: 3,
      maxAttempts: 5,
    } as Job<HubEvent>);
    expect(await day("2026-02-03")).toBe(1);
  });

  it("answers one item per day and source, zeros included, and the range's totals", async () => {
    const res = await report("from=2026-07-01&to=2026-07-03");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: "2026-07-01", to: "2026-07-03" });
    expect(res.body.items).toHaveLength(3 * INQUIRY_SOURCES.length);
    expect(res.body.items.map((i: { date_london: string; source: string }) => `${i.date_london} ${i.source}`)).toEqual(
      ["2026-07-01", "2026-07-02", "2026-07-03"].flatMap((d) => INQUIRY_SOURCES.map((s) => `${d} ${s}`)),
    );
    expect(
      res.body.items.find(
        (i: { date_london: string; source: string }) => i.date_london === "2026-07-02" && i.source === "web_form",
      ),
    ).toEqual({
      date_london: "2026-07-02",
      source: "web_form",
      total_count: 1,
      converted_count: 0,
      conversion_rate: 0,
      revenue: 0,
      no_show_count: 0,
    });
    expect(res.body.items.find((i: { source: string }) => i.source === "phone").conversion_rate).toBeNull();
    expect(res.body.totals).toEqual({
      total_count: 1,
      converted_count: 0,
      conversion_rate: 0,
      revenue: 0,
      no_show_count: 0,
    });
  });

  it("takes the last 30 London days when no range is given", async () => {
    const res = await report("source=partner");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(30);
    expect(res.body.items.every((i: { source: string }) => i.source === "partner")).toBe(true);
  });

  it("answers CSV for Accept: text/csv, revenue in pounds, as an attachment", async () => {
    const res = await report("from=2026-07-01&to=2026-07-02&source=web_form", manager.key, { Accept: "text/csv" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="daily-report-2026-07-01-to-2026-07-02-web_form.csv"',
    );
    expect(res.body).toBe(
      "date_london,source,total_count,converted_count,conversion_rate,revenue_gbp,no_show_count\r\n" +
        "2026-07-01,web_form,0,0,,0.00,0\r\n" +
        "2026-07-02,web_form,1,0,0,0.00,0\r\n",
    );
  });

  it.each([
    ["from=2026-07-03&to=2026-07-01", "from"],
    ["from=2026-01-01&to=2027-01-02", "to"],
    ["from=2027-02-30&to=2027-03-01", "from"],
    ["from=2027-02-01&to=tomorrow", "to"],
    ["from=2026-07-01&to=2026-07-02&source=fax", "source"],
  ])("refuses %s with a 400 naming %s", async (query, field) => {
    const res = await report(query);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it("takes 366 days, a leap year's worth", async () => {
    const res = await report("from=2028-01-01&to=2028-12-31&source=phone");
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(366);
  });

  it("is for managers and above", async () => {
    expect((await report("from=2026-07-01&to=2026-07-01", operator.key)).status).toBe(403);
    expect((await t.request("GET", "/reports/daily", { key: null })).status).toBe(401);
    expect((await report("from=2026-07-01&to=2026-07-01", t.adminKey)).status).toBe(200);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await t.request("GET", "/openapi.json", { key: null })).body;
    expect(Object.keys(doc.paths["/reports/daily"].get.responses["200"].content)).toEqual([
      "application/json",
      "text/csv",
    ]);
  });
});
