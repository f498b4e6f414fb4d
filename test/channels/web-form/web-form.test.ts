import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../../hub/env";
import { startHub, type TestHub } from "../../support/hub";
import { deleteRedisPrefix, freePort, newRedisPrefix, testRedisUrl } from "../../support/redis";

const SECRET = "0x4AAAAAAAweb-form-secret";
const SITE_KEY = "0x4AAAAAAAsite-key";
const ALLOWED = "https://www.example.co.uk";
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let ipCounter = 0;
/** A client address of its own per test, so one test's posts do not use up another's rate limit. */
const newIp = () => `198.51.100.${++ipCounter}`;
let idCounter = 0;
const newId = () => `sub-${Date.now()}-${++idCounter}`;

const lead = (overrides: Record<string, unknown> = {}) => ({
  name: "Ann Lee",
  email: "ann@example.co.uk",
  message: "A table for four, please",
  ...overrides,
});

interface PostOptions {
  ip?: string;
  headers?: Record<string, string>;
}

const postJson = (t: TestHub, body: unknown, options: PostOptions = {}) =>
  t.request("POST", "/forms/inquiry", {
    key: null,
    body,
    headers: { "X-Forwarded-For": options.ip ?? newIp(), ...options.headers },
  });

const postForm = (t: TestHub, fields: Record<string, string>, options: PostOptions = {}) =>
  t.request("POST", "/forms/inquiry", {
    key: null,
    body: new URLSearchParams(fields).toString(),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: BROWSER_ACCEPT,
      "X-Forwarded-For": options.ip ?? newIp(),
      ...options.headers,
    },
  });

async function stored(t: TestHub) {
  const [row] = await t.hub.database.rows<Record<string, string>>(sql`select
    (select count(*) from inquiries)::text as inquiries,
    (select count(*) from webhook_events)::text as webhook_events,
    (select count(*) from clients)::text as clients,
    (select count(*) from outbox_events)::text as outbox_events`);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

function capturingLogger() {
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("web form with Turnstile on", () => {
  let t: TestHub<{ turnstile: { secret: string } }>;
  const log = capturingLogger();

  beforeAll(async () => {
    t = await startHub({
      overrides: { logger: log.logger, outside: { turnstileTimeoutMs: 4_000 } },
      turnstile: { secret: SECRET, slowMs: 5_000 },
      env: {
        TURNSTILE_SITE_KEY: SITE_KEY,
        TRUST_PROXY_HOPS: "1",
        WEB_FORM_ALLOWED_ORIGINS: `${ALLOWED}/,https://booking.example.co.uk`,
      },
    });
  });
  afterAll(() => t.stop());

  it("takes a JSON lead once Turnstile accepts the token, and answers with the reference and the reply-by time", async () => {
    const id = newId();
    const ip = newIp();
    const res = await postJson(
      t,
      lead({
        submission_id: id,
        phone: "07911 123456",
        requested_start_at: "2030-07-01T19:30",
        party_size: 4,
        service: "Dinner",
        "cf-turnstile-response": `pass-${id}`,
      }),
      { ip },
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.reference).toMatch(/^INQ-\d+$/);
    expect(res.body.sla_deadline_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[01]:00$/);
    expect(res.body.message).toContain(res.body.reference);
    expect(res.body.message).toMatch(/(GMT|BST)/);
    expect(res.body.submission_id).toBe(id);

    // Cloudflare's documented request: form-encoded secret, response and remoteip.
    expect(t.turnstile.calls.at(-1)).toEqual({
      secret: SECRET,
      response: `pass-${id}`,
      remoteip: ip,
      contentType: expect.stringContaining("application/x-www-form-urlencoded"),
    });

    const [row] = await t.hub.database.rows<
      Record<string, unknown>
    >(sql`select i.source, i.webhook_event_id, i.idempotency_key,
      i.requested_start_at, i.party_size, i.service, i.message, c.phone, c.email, w.payload
      from inquiries i join clients c on c.id = i.client_id join webhook_events w on w.external_event_id = i.webhook_event_id
      where i.webhook_event_id = ${id}`);
    expect(row).toMatchObject({
      source: "web_form",
      webhook_event_id: id,
      idempotency_key: `web_form:${id}`,
      party_size: 4,
      service: "Dinner",
      phone: "+447911123456",
    });
    // 19:30 on a July evening in London is 18:30 UTC.
    expect(new Date(row!.requested_start_at as string).toISOString()).toBe("2030-07-01T18:30:00.000Z");
    const payload = typeof row!.payload === "string" ? JSON.parse(row!.payload) : row!.payload;
    expect(payload).toMatchObject({ submission_id: id, name: "Ann Lee", requested_start_at: "2030-07-01T19:30" });
    expect(payload).not.toHaveProperty("cf-turnstile-response");
  });

  it("answers a second send of the same submission with 200 and the same reference, and stores nothing more", async () => {
    const id = newId();
    const body = lead({ submission_id: id, "cf-turnstile-response": `pass-${id}` });
    const first = await postJson(t, body);
    expect(first.status).toBe(201);
    const before = await stored(t);
    const again = await postJson(t, body); // the token is spent at Turnstile by now, as in a real double submit
    expect(again.status).toBe(200);
    expect(again.body.reference).toBe(first.body.reference);
    expect(await stored(t)).toEqual(before);

    const changed = await postJson(t, { ...body, message: "Something else" });
    expect(changed.status).toBe(409);
    expect(await stored(t)).toEqual(before);
  });

  it("refuses a token Turnstile rejects with 403 and stores nothing", async () => {
    const before = await stored(t);
    const res = await postJson(t, lead({ submission_id: newId(), "cf-turnstile-response": "forged-token" }));
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toBe("The anti-spam check failed; reload the form and try again.");
    const missing = await postJson(t, lead({ submission_id: newId() }));
    expect(missing.status).toBe(403);
    // A spent token whose submission was never stored is not a replay.
    const spent = await postJson(t, lead({ submission_id: newId(), "cf-turnstile-response": "pass-used-elsewhere" }));
    const reused = await postJson(
      t,
      lead({ submission_id: newId(), message: "Another", "cf-turnstile-response": "pass-used-elsewhere" }),
    );
    expect(spent.status).toBe(201);
    expect(reused.status).toBe(403);
    expect((await stored(t)).inquiries).toBe(before.inquiries! + 1);
  });

  it("fails closed with 503 and Retry-After when Turnstile is slower than the timeout or answers an error", async () => {
    const before = await stored(t);
    for (const token of ["slow-token", "error500-token"]) {
      const res = await postJson(t, lead({ submission_id: newId(), "cf-turnstile-response": token }));
      expect(res.status, token).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await stored(t)).toEqual(before);
    expect(log.lines.some((l) => l.level === 40 && /Turnstile unavailable/.test(l.msg))).toBe(true);
  });

  it("answers a filled honeypot as if accepted, stores nothing, and logs it", async () => {
    const before = await stored(t);
    const json = await postJson(
      t,
      lead({ submission_id: newId(), website: "http://spam.example", "cf-turnstile-response": "forged" }),
    );
    expect(json.status).toBe(201);
    expect(json.body.reference).toMatch(/^INQ-\d+$/);
    expect(json.body.sla_deadline_at).toMatch(/\+0[01]:00$/);
    const page = await postForm(
      t,
      { ...lead(), website: "http://spam.example", submission_id: newId() },
      { ip: "198.51.100.77" },
    );
    expect(page.status).toBe(201);
    expect(page.body).toContain("Thank you");
    expect(await stored(t)).toEqual(before);
    const logged = log.lines.filter((l) => l.level === 30 && /honeypot/.test(l.msg));
    // The network, not the person's own address.
    expect(logged.map((l) => l.ip)).toContain("198.51.100.x");
    expect(JSON.stringify(logged)).not.toContain("198.51.100.77");
  });

  it("gives a browser posting the form an HTML thank-you page with the reference and the reply-by time in London time", async () => {
    const id = newId();
    const res = await postForm(t, {
      ...lead(),
      phone: "",
      requested_start_at: "",
      party_size: "",
      service: "",
      website: "",
      submission_id: id,
      "cf-turnstile-response": `pass-${id}`,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const [{ reference }] = (await t.hub.database.rows<{ reference: string }>(
      sql`select 'INQ-' || number as reference from inquiries where webhook_event_id = ${id}`,
    )) as [{ reference: string }];
    expect(res.body).toContain(`<strong>${reference}</strong>`);
    expect(res.body).toMatch(/We will reply by <strong>\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d (GMT|BST)<\/strong>/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");

    // Sent again (a reload of the thank-you page): the same page, 200.
    const again = await postForm(t, { ...lead(), submission_id: id, "cf-turnstile-response": `pass-${id}` });
    expect(again.status).toBe(200);
    expect(again.body).toContain(`<strong>${reference}</strong>`);
  });

  it("refuses invalid fields with 400: problem+json naming each field for JSON, the form with errors beside the fields for a browser", async () => {
    const before = await stored(t);
    const json = await postJson(t, {
      name: "",
      message: "Hi",
      party_size: "four",
      requested_start_at: "next Friday",
      colour: "blue",
      "cf-turnstile-response": "pass-never-used-1",
    });
    expect(json.status).toBe(400);
    expect(json.headers.get("content-type")).toBe("application/problem+json");
    const fields = json.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(["name", "email", "phone", "party_size", "requested_start_at", "colour"]),
    );
    expect(json.body.errors).toContainEqual({ field: "party_size", message: "must be a whole number from 1 to 1000" });
    const past = await postJson(t, lead({ requested_start_at: "2020-01-01T10:00" }));
    expect(past.body.errors).toContainEqual({
      field: "requested_start_at",
      message: expect.stringMatching(/in the past/),
    });

    const id = newId();
    const page = await postForm(t, {
      name: `<script>alert("x")</script>`,
      email: "not-an-email",
      message: "",
      submission_id: id,
      website: "",
    });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.body).toContain("There is a problem");
    expect(page.body).toMatch(/<p class="error" id="email-error">Email address: must be an email address/);
    expect(page.body).toMatch(
      /<input type="email" id="email"[^>]*aria-describedby="email-hint email-error" aria-invalid="true"/,
    );
    expect(page.body).toMatch(/<p class="error" id="message-error">Your message: is required/);
    // What the visitor typed is kept, escaped, and the same submission id carries on.
    expect(page.body).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    expect(page.body).not.toContain("<script>alert");
    expect(page.body).toContain(`name="submission_id" value="${id}"`);
    expect(await stored(t)).toEqual(before);
  });

  it("answers CORS preflights for the allowed origins only", async () => {
    const preflight = (origin: string) =>
      t.hub.app.request("/forms/inquiry", {
        method: "OPTIONS",
        headers: {
          Origin: origin,
          "Access-Control-Request-Method": "POST",
          "Access-Control-Request-Headers": "content-type",
        },
      });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("POST");
    expect(allowed.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    const id = newId();
    const res = await postJson(t, lead({ submission_id: id, "cf-turnstile-response": `pass-${id}` }), {
      headers: { Origin: ALLOWED },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-expose-headers")).toContain("Retry-After");
    // Only the form's path has CORS.
    const elsewhere = await t.hub.app.request("/health", { headers: { Origin: ALLOWED } });
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves an accessible form: labels for every field, the Turnstile widget, a strict CSP, no framework", async () => {
    const res = await t.hub.app.request("/forms/inquiry");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=UTF-8/i);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const page = await res.text();
    expect(page).toMatch(/^<!doctype html>\n<html lang="en-GB">/);
    const controls = [...page.matchAll(/<(input|textarea)\b([^>]*)>/g)]
      .map((m) => m[2]!)
      .filter((attrs) => !/type="hidden"/.test(attrs));
    expect(controls.length).toBe(8); // seven fields and the honeypot
    for (const attrs of controls) {
      const id = /\bid="([^"]+)"/.exec(attrs)?.[1];
      expect(id, attrs).toBeDefined();
      expect(page, `label for ${id}`).toContain(`<label for="${id}">`);
      expect(attrs).toMatch(/autocomplete="[a-z]+"/);
    }
    expect(page).toMatch(/<input type="text" id="website" name="website" tabindex="-1" autocomplete="off"/);
    expect(page).toContain('<label for="website">Leave this field empty</label>');
    expect(page).toMatch(/<input type="hidden" name="submission_id" value="[0-9a-f-]{36}">/);
    expect(page).toContain(`<div class="cf-turnstile" data-sitekey="${SITE_KEY}"></div>`);
    const scripts = [...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer>']);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("script-src https://challenges.cloudflare.com;");
    expect(csp).toContain("frame-ancestors 'self' https://www.example.co.uk https://booking.example.co.uk");
    expect(csp).not.toContain("unsafe-inline");
    // Each page view is a new submission.
    const other = await (await t.hub.app.request("/forms/inquiry")).text();
    const idOf = (html: string) => /name="submission_id" value="([^"]+)"/.exec(html)![1];
    expect(idOf(other)).not.toBe(idOf(page));
  });

  it("documents POST /forms/inquiry in the OpenAPI document", async () => {
    const res = await t.request("GET", "/openapi.json", { key: null });
    expect(res.body.paths["/forms/inquiry"].post.responses).toHaveProperty("429");
    expect(Object.keys(res.body.paths["/forms/inquiry"].post.requestBody.content)).toEqual([
      "application/json",
      "application/x-www-form-urlencoded",
    ]);
  });
});

describe("web form rate limit", () => {
  let t: TestHub<{ turnstile: { secret: string } }>;

  beforeAll(async () => {
    t = await startHub({ turnstile: { secret: SECRET }, env: { TRUST_PROXY_HOPS: "1" } });
  });
  afterAll(() => t.stop());

  it("counts every post from an address and answers the 6th in the window with 429 and Retry-After; another address is still let in", async () => {
    const ip = newIp();
    // Whatever the client writes left of our proxy's entry does not change who it is.
    const from = (i: number) => ({ headers: { "X-Forwarded-For": `10.0.0.${i}, ${ip}` } });
    const answers = [
      await postJson(t, lead({ "cf-turnstile-response": "pass-rl-1" }), from(1)),
      await postJson(t, { name: "" }, from(2)),
      await postJson(t, lead({ "cf-turnstile-response": "forged" }), from(3)),
      await postJson(t, lead({ website: "spam" }), from(4)),
      await postJson(t, lead({ "cf-turnstile-response": "pass-rl-2" }), from(5)),
    ].map((r) => r.status);
    expect(answers).toEqual([201, 400, 403, 201, 201]);
    const calls = t.turnstile.calls.length;
    const before = await stored(t);

    const sixth = await postJson(t, lead({ "cf-turnstile-response": "pass-rl-3" }), from(6));
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get("content-type")).toBe("application/problem+json");
    expect(sixth.body.title).toBe("Too many requests");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(t.turnstile.calls.length).toBe(calls); // refused before Turnstile is asked
    expect(await stored(t)).toEqual(before);

    const page = await postForm(t, { ...lead(), submission_id: newId() }, { ip });
    expect(page.status).toBe(429);
    expect(page.body).toContain("too many times");

    const other = await postJson(t, lead({ "cf-turnstile-response": "pass-rl-4" }), { ip: newIp() });
    expect(other.status).toBe(201);
  });

  describe.runIf(testRedisUrl)("on Redis", () => {
    const prefix = newRedisPrefix();
    const env = () =>
      parseEnv({ REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, TRUST_PROXY_HOPS: "1", WEB_FORM_RATE_LIMIT_MAX: "3" });
    let a: TestHub;
    let b: TestHub;

    // biome-ignore lint/suspicious/noDuplicateTestHooks: a describe.runIf block has hooks of its own.
    beforeAll(async () => {
      a = await startHub({ overrides: { env: env() } });
      // b takes no jobs: it shares a's queues (one prefix) but has a database of its own.
      b = await startHub({ overrides: { env: env(), role: "api" } });
    });
    // biome-ignore lint/suspicious/noDuplicateTestHooks: a describe.runIf block has hooks of its own.
    afterAll(async () => {
      await b.stop();
      await a.stop();
      await deleteRedisPrefix(testRedisUrl!, prefix);
    });

    it("shares the count between hubs on one Redis prefix", async () => {
      const ip = newIp();
      expect((await postJson(a, lead(), { ip })).status).toBe(201);
      expect((await postJson(b, { name: "" }, { ip })).status).toBe(400);
      expect((await postJson(a, lead(), { ip })).status).toBe(201);
      const fourth = await postJson(b, lead(), { ip });
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers.get("retry-after"))).toBeGreaterThan(590);

      const { Redis } = await import("ioredis");
      const redis = new Redis(testRedisUrl!);
      const key = `${prefix}:ratelimit:webform:${ip}`;
      expect(await redis.get(key)).toBe("4");
      expect(await redis.pttl(key)).toBeGreaterThan(590_000);
      await redis.quit();
    });
  });
});

describe("web form without a Turnstile secret", () => {
  let t: TestHub;
  const log = capturingLogger();

  beforeAll(async () => {
    t = await startHub({
      overrides: { logger: log.logger },
      env: { TRUST_PROXY_HOPS: "1", TURNSTILE_VERIFY_URL: `http://127.0.0.1:${await freePort()}/` },
    });
  });
  afterAll(() => t.stop());

  it("takes leads without the check, warns once at start, and serves the form without the widget", async () => {
    const warnings = log.lines.filter((l) => l.level === 40 && /TURNSTILE_SECRET_KEY is not set/.test(l.msg));
    expect(warnings).toHaveLength(1);
    const res = await postJson(t, lead({ phone: "+44 20 7946 0018", email: undefined }));
    expect(res.status).toBe(201);
    const page = await (await t.hub.app.request("/forms/inquiry")).text();
    expect(page).not.toContain("<script");
    expect(page).not.toContain("cf-turnstile");
  });

  it("uses the Idempotency-Key header as the submission id for JSON callers, and makes one up when there is none", async () => {
    const key = newId();
    const first = await postJson(t, lead(), { headers: { "Idempotency-Key": key } });
    const again = await postJson(t, lead(), { headers: { "Idempotency-Key": key } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(first.body.submission_id).toBe(key);
    const made = await postJson(t, lead());
    expect(made.body.submission_id).toMatch(/^[0-9a-f-]{36}$/);
    const mismatch = await postJson(t, lead({ submission_id: "a-different-one" }), {
      headers: { "Idempotency-Key": key },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors).toContainEqual({
      field: "submission_id",
      message: "differs from the Idempotency-Key header",
    });
  });
});

describe("web form when Turnstile cannot be reached", () => {
  let t: TestHub;

  beforeAll(async () => {
    // A port nobody listens on: the connection is refused.
    t = await startHub({
      env: {
        TURNSTILE_SECRET_KEY: SECRET,
        TURNSTILE_VERIFY_URL: `http://127.0.0.1:${await freePort()}/siteverify`,
        TRUST_PROXY_HOPS: "1",
      },
    });
  });
  afterAll(() => t.stop());

  it("fails closed with 503 and Retry-After and stores nothing", async () => {
    const before = await stored(t);
    const res = await postJson(t, lead({ "cf-turnstile-response": "pass-anything" }));
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const page = await postForm(t, { ...lead(), submission_id: newId(), "cf-turnstile-response": "pass-anything" });
    expect(page.status).toBe(503);
    expect(page.body).toContain("not answering");
    expect(page.body).toContain('value="Ann Lee"');
    expect(await stored(t)).toEqual(before);
  });
});
