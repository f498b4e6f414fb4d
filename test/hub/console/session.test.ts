// The console's session and its guards, without a browser: sign-in, sign-out, 12 idle hours, CSRF and origin.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInByRequest } from "../../support/console";
import { startHub, type TestHub } from "../../support/hub";

const HOUR = 60 * 60_000;

describe("console sessions", () => {
  let t: TestHub;
  let clock = new Date("2026-07-01T09:00:00Z");

  beforeAll(async () => {
    t = await startHub({ overrides: { now: () => clock } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const sessions = async () =>
    Number((await t.rows<{ n: string }>(sql`select count(*)::text as n from console_sessions`))[0]!.n);

  it("shows the sign-in form with the console's security headers", async () => {
    const response = await t.hub.app.request("/console");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="key"');
    expect(response.headers.get("Content-Security-Policy")).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
  });

  it("answers a wrong key with the form again and 401, and opens no session", async () => {
    const before = await sessions();
    const response = await t.hub.app.request("/console", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "key=hub_not-a-key",
    });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("the key is not valid");
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await sessions()).toBe(before);
  });

  it("sets an HttpOnly, SameSite=Strict cookie on /console, Secure only over https", async () => {
    const post = (url: string) =>
      t.hub.app.request(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key: t.adminKey }).toString(),
      });
    const plain = (await post("http://localhost/console")).headers.getSetCookie()[0]!;
    expect(plain).toMatch(/^hub_console=[A-Za-z0-9_-]{43};/);
    expect(plain).toContain("HttpOnly");
    expect(plain).toContain("SameSite=Strict");
    expect(plain).toContain("Path=/console");
    expect(plain).not.toContain("Secure");
    const secure = (await post("https://hub.example/console")).headers.getSetCookie()[0]!;
    expect(secure).toContain("Secure");
  });

  it("signs in, shows a page in the layout, and signs out in the database", async () => {
    const s = await signInByRequest(t.hub, t.adminKey);
    const page = await s.request("GET", "/console/queue");
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<nav aria-label="Console">');
    expect(text).toContain("<h1>Queue</h1>");

    const before = await sessions();
    const out = await s.request("POST", "/console/sign-out", { form: { _csrf: s.csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get("Location")).toBe("/console");
    expect(await sessions()).toBe(before - 1);
    const after = await s.request("GET", "/console/queue");
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toBe("/console");
  });

  it("ends a session after 12 idle hours, and deletes it", async () => {
    const s = await signInByRequest(t.hub, t.adminKey);
    clock = new Date(clock.getTime() + 11 * HOUR);
    expect((await s.request("GET", "/console/queue")).status).toBe(200);
    // Activity moved the idle clock: 11 more hours are still within 12 of the last visit.
    clock = new Date(clock.getTime() + 11 * HOUR);
    expect((await s.request("GET", "/console/queue")).status).toBe(200);
    const count = await sessions();
    clock = new Date(clock.getTime() + 12 * HOUR);
    const expired = await s.request("GET", "/console/queue");
    expect(expired.status).toBe(303);
    expect(expired.headers.get("Location")).toBe("/console");
    expect(await sessions()).toBe(count - 1);
  });

  it("streams the queue as server-sent events, which do not count as activity", async () => {
    const s = await signInByRequest(t.hub, t.adminKey);
    clock = new Date(clock.getTime() + 11 * HOUR);
    const stream = await s.request("GET", "/console/queue/events", { headers: { Accept: "text/event-stream" } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get("Content-Type")).toContain("text/event-stream");
    const reader = stream.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^event: queue\ndata: /);
    await reader.cancel();
    // Twelve hours after the last page view, though the stream was opened an hour ago.
    clock = new Date(clock.getTime() + HOUR);
    expect((await s.request("GET", "/console/queue")).status).toBe(303);
  });

  it("ends the sessions of a deactivated user at once", async () => {
    const operator = await t.createUser("operator");
    const s = await signInByRequest(t.hub, operator.key);
    expect((await s.request("GET", "/console/queue")).status).toBe(200);
    await t.rows(sql`update users set active = false where id = ${operator.id}`);
    expect((await s.request("GET", "/console/queue")).status).toBe(303);
  });

  it("refuses a POST whose CSRF token does not match the session's, with 403", async () => {
    const s = await signInByRequest(t.hub, t.adminKey);
    const other = await signInByRequest(t.hub, t.adminKey);
    for (const form of [{}, { _csrf: "" }, { _csrf: other.csrf }] as Record<string, string>[]) {
      const response = await s.request("POST", "/console/sign-out", { form });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("security token does not match");
    }
    // Still signed in: nothing was done.
    expect((await s.request("GET", "/console/queue")).status).toBe(200);
  });

  it("refuses a POST from another origin with 403 even with the right token", async () => {
    const s = await signInByRequest(t.hub, t.adminKey);
    const headers: Record<string, string>[] = [
      { Origin: "https://evil.example" },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: "null" },
    ];
    for (const h of headers) {
      const response = await s.request("POST", "/console/sign-out", { form: { _csrf: s.csrf }, headers: h });
      expect(response.status).toBe(403);
    }
    const same = await s.request("POST", "/console/sign-out", {
      form: { _csrf: s.csrf },
      headers: { Origin: "http://localhost", "Sec-Fetch-Site": "same-origin" },
    });
    expect(same.status).toBe(303);
  });

  it("gives an operator no link to the manager pages, and a 403 page there", async () => {
    const operator = await t.createUser("operator");
    const s = await signInByRequest(t.hub, operator.key);
    const queue = await (await s.request("GET", "/console/queue")).text();
    expect(queue).toContain('href="/console/bookings"');
    expect(queue).not.toContain('href="/console/health"');
    expect(queue).not.toContain('href="/console/reports"');
    expect((await s.request("GET", "/console/health")).status).toBe(403);
  });

  it("answers an address that is no page with the console's own 404 page, after the session check", async () => {
    const signedOut = await t.hub.app.request("/console/no-such-page");
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("Location")).toBe("/console");
    const s = await signInByRequest(t.hub, t.adminKey);
    const missing = await s.request("GET", "/console/no-such-page");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(missing.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(await missing.text()).toContain("There is no console page at /console/no-such-page.");
  });
});
