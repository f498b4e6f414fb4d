// A database that goes away answers 503 with Retry-After, never 500, and the hub recovers by itself when it returns.
import postgres from "postgres";
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openScratchDatabase } from "../../../db/scratch";
import { signInByRequest } from "../../support/console";
import { startHub, type TestHub } from "../../support/hub";

const url = process.env.DATABASE_URL;

// PGlite lives inside the process and cannot be taken away; the outage is PostgreSQL's.
describe.skipIf(!url)("a database outage", () => {
  let t: TestHub;
  let admin: postgres.Sql;
  let name: string;
  let operatorKey: string;

  beforeAll(async () => {
    const database = await openScratchDatabase(url!);
    name = (await database.rows<{ name: string }>(sql`select current_database() as name`))[0]!.name;
    admin = postgres(url!, { max: 1, onnotice: () => {} });
    // Work the outage cut off mid-way (a claimed job, a relay's claimed batch) is taken again after 3 s, not 30.
    t = await startHub({ overrides: { database }, env: { JOB_CLAIM_SECONDS: "3" } });
    operatorKey = (await t.createUser("operator")).key;
  });
  afterAll(async () => {
    await admin.unsafe(`alter database ${name} allow_connections true`);
    await t.stop();
    await admin.end();
  });

  const email = () => `ann.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const intake = () =>
    t.request("POST", "/inquiries", {
      body: { source: "web_form", message: "Table for two", client: { name: "Ann", email: email() } },
      key: operatorKey,
    });
  let ip = 0;
  const webForm = () =>
    t.request("POST", "/forms/inquiry", {
      key: null,
      body: { name: "Ann", email: email(), message: "Table for two" },
      headers: { "X-Forwarded-For": `203.0.113.${++ip}` },
    });

  it("answers intake with 503 and Retry-After while PostgreSQL refuses connections, then takes leads again", async () => {
    expect((await intake()).status).toBe(201);
    const operator = await signInByRequest(t.hub, t.adminKey);

    await admin.unsafe(`alter database ${name} allow_connections false`);
    await admin.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);

    for (const send of [intake, webForm]) {
      const res = await send();
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(res.body.detail).toMatch(/database/i);
    }
    expect((await t.request("GET", "/health/ready", { key: null })).status).toBe(503);
    // The console says so too, as a page: not a 500.
    const page = await operator.request("GET", "/console/queue");
    expect(page.status).toBe(503);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await page.text()).toContain("The database is unavailable at the moment");
    // A busy outage: every failed connection makes postgres-js wait longer before its next try.
    for (let round = 0; round < 5; round++) {
      const statuses = await Promise.all(Array.from({ length: 10 }, () => intake().then((res) => res.status)));
      expect(new Set(statuses)).toEqual(new Set([503]));
    }

    await admin.unsafe(`alter database ${name} allow_connections true`);
    // No restart: the pool opens new connections on its own once the database takes them.
    await expect.poll(async () => (await intake()).status, { timeout: 5_000, interval: 100 }).toBe(201);
    expect((await webForm()).status).toBe(201);
    expect((await t.request("GET", "/health/ready", { key: null })).status).toBe(200);

    // Its background work comes back too, with no restart: the relay publishes and the job workers run the events of
    // the three leads taken around the outage, each once.
    const count = async (query: SQL) => Number((await t.rows<{ n: string }>(query))[0]!.n);
    const poll = { timeout: 30_000, interval: 100 };
    await expect
      .poll(() => count(sql`select coalesce(sum(total_count), 0)::text as n from inquiry_metrics_daily`), poll)
      .toBe(3);
    await expect
      .poll(() => count(sql`select count(*)::text as n from outbox_events where processed_at is null`), poll)
      .toBe(0);
    expect(await count(sql`select count(*)::text as n from inquiries`)).toBe(3);
  }, 60_000);
});
