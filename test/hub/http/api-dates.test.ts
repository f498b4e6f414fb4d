// Dates the API takes: a day that does not exist, or a year outside 1900–2100, is a 400 naming the field, never a 500;
// the windows worked out from a date at either end of the range stay within what PostgreSQL stores.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeCursor } from "../../../hub/core/cursor";
import { startHub, type TestHub } from "../../support/hub";

describe("dates and datetimes in the API", () => {
  let t: TestHub;
  let resourceId: string;
  let inquiryId: string;

  beforeAll(async () => {
    t = await startHub();
    resourceId = (await t.request("POST", "/resources", { body: { name: "Any Hour Room", capacity: 4 } })).body.id;
    inquiryId = (
      await t.request("POST", "/inquiries", { body: { source: "web_form", client: { email: "dates@example.com" } } })
    ).body.id;
  });
  afterAll(() => t.stop());

  const refusedNaming = async (field: string, method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    return res.body.errors.find((e: { field: string }) => e.field === field).message as string;
  };

  it.each([
    "2027-02-29",
    "2027-02-30",
    "2027-04-31",
    "2027-13-01",
    "9999-12-31",
    "1899-12-31",
    "2101-01-01",
    "27-01-01",
  ])("GET /resources/{id}/availability?date=%s is a 400 naming date", async (date) => {
    const message = await refusedNaming(
      "date",
      "GET",
      `/resources/${resourceId}/availability?date=${date}&duration_minutes=60`,
    );
    expect(message).toMatch(/YYYY-MM-DD.*1900.*2100/);
  });

  it("answers for the first and the last day of the range", async () => {
    for (const date of ["1900-01-01", "2100-12-31", "2028-02-29"]) {
      const res = await t.request("GET", `/resources/${resourceId}/availability?date=${date}&duration_minutes=1440`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.starts[0]).toMatch(new RegExp(`^${date}T00:00:00\\.000\\+00:00$`));
    }
  });

  it("refuses a time to match outside the range, and matches at its last minute", async () => {
    for (const at of ["9999-12-31T23:59", "2101-01-01T00:00", "1899-12-31T23:59"]) {
      expect(await refusedNaming("at", "GET", `/inquiries/${inquiryId}/matches?at=${at}`)).toMatch(/1900.*2100/);
    }
    const last = await t.request("GET", `/inquiries/${inquiryId}/matches?at=2100-12-31T23:59&duration_minutes=1440`);
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(last.body.items[0]).toMatchObject({
      start_at: "2100-12-31T23:59:00.000+00:00",
      end_at: "2101-01-01T23:59:00.000+00:00",
    });
  });

  it("refuses to match an inquiry whose own requested time lies outside the range (a 400 naming at)", async () => {
    const id = (
      await t.request("POST", "/inquiries", { body: { source: "web_form", client: { email: "far@example.com" } } })
    ).body.id;
    // Written before the range was enforced.
    await t.hub.database.rows(sql`update inquiries set requested_start_at = '9999-12-31T23:59:00Z' where id = ${id}`);
    expect(await refusedNaming("at", "GET", `/inquiries/${id}/matches`)).toMatch(/1900.*2100/);
  });

  it("refuses a block, a hold and filters outside the range, writing nothing", async () => {
    await refusedNaming("starts_at", "POST", `/resources/${resourceId}/blocks`, {
      starts_at: "9999-12-30T10:00",
      ends_at: "2026-12-31T11:00",
      reason: "x",
    });
    await refusedNaming("ends_at", "POST", `/resources/${resourceId}/blocks`, {
      starts_at: "2026-12-30T10:00",
      ends_at: "9999-12-31T11:00",
      reason: "x",
    });
    expect((await t.request("GET", `/resources/${resourceId}/blocks`)).body.items).toEqual([]);
    await refusedNaming("start_at", "POST", "/bookings", {
      inquiry_id: inquiryId,
      resource_id: resourceId,
      start_at: "9999-12-31T10:00",
      duration_minutes: 60,
      deposit_amount: 0,
    });
    await refusedNaming("end_at", "POST", "/bookings", {
      inquiry_id: inquiryId,
      resource_id: resourceId,
      start_at: "2100-12-31T10:00",
      end_at: "2101-01-01T10:00",
      deposit_amount: 0,
    });
    expect((await t.request("GET", "/bookings")).body.items).toEqual([]);
    await refusedNaming("from", "GET", "/bookings?from=9999-01-01T00:00");
    await refusedNaming("to", "GET", `/resources/${resourceId}/blocks?to=2027-02-29T00:00`);
    await refusedNaming("from", "GET", "/inquiries?from=0001-01-01T00:00Z");
  });

  it("refuses an inquiry's received_at or requested_start_at outside the range", async () => {
    await refusedNaming("received_at", "POST", "/inquiries", {
      source: "web_form",
      client: { email: "r@example.com" },
      received_at: "2101-01-01T00:00Z",
    });
    await refusedNaming("requested_start_at", "POST", "/inquiries", {
      source: "web_form",
      client: { email: "r@example.com" },
      requested_start_at: "9999-12-31T19:00",
    });
    await refusedNaming("requested_start_at", "POST", "/inquiries", {
      source: "web_form",
      client: { email: "r@example.com" },
      requested_start_at: "2027-02-29T19:00",
    });
    const form = await t.request("POST", "/forms/inquiry", {
      key: null,
      body: { name: "Ann", email: "ann@example.com", message: "Hello", requested_start_at: "9999-12-31T19:00" },
    });
    expect(form.status).toBe(400);
    expect(form.body.errors.map((e: { field: string }) => e.field)).toEqual(["requested_start_at"]);
  });

  it("refuses a page cursor whose date lies outside the range", async () => {
    const far = encodeCursor({ at: new Date("9999-12-31T00:00:00Z"), id: "00000000-0000-4000-8000-000000000000" });
    await refusedNaming("cursor", "GET", `/bookings?cursor=${far}`);
    const near = encodeCursor({ at: new Date("2026-01-01T00:00:00Z"), id: "00000000-0000-4000-8000-000000000000" });
    expect((await t.request("GET", `/bookings?cursor=${near}`)).status).toBe(200);
  });
});
