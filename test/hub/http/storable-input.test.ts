// Text PostgreSQL cannot store (NUL, half a UTF-16 surrogate pair) is made storable once, at the HTTP edge: every
// route answers as for any other text and keeps U+FFFD in its place, in text and jsonb columns alike.
import { sql, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storableInput } from "../../../hub/http/storable-input";
import { postSignedLead } from "../../channels/partner/support";
import { startHub, type TestHub } from "../../support/hub";

const R = "\ufffd";
// JSON.stringify writes either as an escape (\ud800, \u0000), as a partner's JSON library would.
const UNSTORABLE = [
  ["half a surrogate pair", "\ud800"],
  ["a lone low surrogate", "\udfff"],
  ["NUL", "\u0000"],
] as const;

describe("text PostgreSQL cannot store, sent to the hub", () => {
  let t: TestHub;
  let partner: { code: string; secret: string };
  let n = 0;
  beforeAll(async () => {
    t = await startHub({ env: { TRUST_PROXY_HOPS: "1" } });
    const created = await t.createPartner();
    partner = { code: String(created.code), secret: String(created.signing_secret) };
  });
  afterAll(() => t.stop());

  const one = async <T extends Record<string, unknown>>(query: SQL) => (await t.hub.database.rows<T>(query))[0];
  const ip = () => `203.0.113.${++n}`;
  const webFormLead = (email: string) => sql`
    select i.message, c.name, w.payload from inquiries i join clients c on c.id = i.client_id
    join webhook_events w on w.source = 'web_form' and w.external_event_id = i.webhook_event_id where c.email = ${email}`;

  it.each(UNSTORABLE)(
    "POST /forms/inquiry as JSON with %s: 201; the inquiry and its webhook event hold U+FFFD",
    async (_, bad) => {
      const email = `json${++n}@example.co.uk`;
      const res = await t.request("POST", "/forms/inquiry", {
        key: null,
        headers: { "X-Forwarded-For": ip() },
        body: { name: `Ann ${bad}`, email, message: `Table for ${bad}two` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(await one(webFormLead(email))).toEqual({
        message: `Table for ${R}two`,
        name: `Ann ${R}`,
        payload: expect.objectContaining({ name: `Ann ${R}`, message: `Table for ${R}two` }),
      });
    },
  );

  it("POST /forms/inquiry form-encoded with NUL: 201; kept as U+FFFD (UTF-8 cannot carry half a surrogate pair)", async () => {
    const email = `form${++n}@example.co.uk`;
    const res = await t.request("POST", "/forms/inquiry", {
      key: null,
      body: new URLSearchParams({ name: "Bo\u0000b", email, message: "Hello\u0000" }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await one(webFormLead(email))).toEqual({
      message: `Hello${R}`,
      name: `Bo${R}b`,
      payload: expect.objectContaining({ name: `Bo${R}b` }),
    });
  });

  it.each(UNSTORABLE)(
    "a signed POST /partners/{code}/inquiries with %s: 201; the stored payload holds U+FFFD",
    async (_, bad) => {
      const body = { client: { name: `Pat${bad}`, email: `pat${++n}@example.com` }, message: `Tour${bad}` };
      const res = await postSignedLead(t, partner.code, partner.secret, `msg_unstorable_${n}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const stored = await one(sql`select i.message, w.payload from inquiries i
      join webhook_events w on w.source = 'partner' and w.external_event_id = i.webhook_event_id where i.id = ${res.body.id}`);
      expect(stored).toEqual({
        message: `Tour${R}`,
        payload: { client: { name: `Pat${R}`, email: body.client.email }, message: `Tour${R}` },
      });
    },
  );

  it("a partner code with NUL in the path is an unknown partner (401), not a database error", async () => {
    const res = await postSignedLead(t, "a%00b", partner.secret, `msg_nul_path_${++n}`, {
      client: { email: "x@example.com" },
    });
    expect(res.status).toBe(401);
  });

  it.each(UNSTORABLE)(
    "POST /inquiries/{id}/contacts with %s in the note: 201; the contact and its audit entry hold U+FFFD",
    async (_, bad) => {
      const inquiry = await t.request("POST", "/inquiries", {
        body: { source: "web_form", client: { email: `cara${++n}@example.com` } },
      });
      expect(inquiry.status).toBe(201);
      const res = await t.request("POST", `/inquiries/${inquiry.body.id}/contacts`, {
        body: { kind: "call", note: `Rang ${bad}, left a message` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const note = `Rang ${R}, left a message`;
      expect(res.body.note).toBe(note);
      const stored = await one<{
        note: string;
        after: { note: string };
      }>(sql`select c.note, a.after from inquiry_contacts c
      join audit_log a on a.action = 'inquiry.contact_logged' and a.entity_id = ${inquiry.body.id} where c.id = ${res.body.id}`);
      expect(stored).toEqual({ note, after: expect.objectContaining({ note }) });
    },
  );

  it.each(UNSTORABLE)(
    "PUT /templates/{key} with %s in the body: 200; the template and its audit entry hold U+FFFD",
    async (_, bad) => {
      const res = await t.request("PUT", "/templates/inquiry.acknowledged", {
        body: { body: `Ref {{reference}} ${bad}${n++}` },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const body = `Ref {{reference}} ${R}${n - 1}`;
      expect(res.body.body).toBe(body);
      const [stored] = await t.hub.database.rows<{
        body: string;
        after: { body: string };
      }>(sql`select t.body, a.after from message_templates t
      join audit_log a on a.action = 'template.updated' and a.entity_id = t.key where t.key = 'inquiry.acknowledged' order by a.id desc limit 1`);
      expect(stored).toEqual({ body, after: { body } });
    },
  );
});

describe("storableInput on its own", () => {
  // A bare app: what each parsed view hands a handler, while the raw text stays as sent.
  const app = new Hono().use(storableInput);
  app.post("/json/:name", async (c) => {
    const raw = await c.req.text();
    return c.json({
      raw,
      json: await c.req.json(),
      param: c.req.param("name"),
      params: c.req.param(),
      query: c.req.query("q"),
      queries: c.req.queries(),
    });
  });
  app.post("/form", async (c) =>
    c.json({ body: await c.req.parseBody(), form: Object.fromEntries(await c.req.formData()) }),
  );

  it("cleans keys and values at any depth in JSON, the path and the query; text() is byte for byte what was sent", async () => {
    const sent = '{"a\\ud800":["x\\u0000",{"b":"\\udc00y"}],"ok":"\\ud83d\\ude00","n":1}';
    const res = await app.request("/json/a%00b?q=%00&q=c", {
      method: "POST",
      body: sent,
      headers: { "Content-Type": "application/json" },
    });
    expect(await res.json()).toEqual({
      raw: sent,
      json: { [`a${R}`]: [`x${R}`, { b: `${R}y` }], ok: "\u{1F600}", n: 1 },
      param: `a${R}b`,
      params: { name: `a${R}b` },
      query: R,
      queries: { q: [R, "c"] },
    });
  });

  it("cleans form fields, urlencoded and multipart, and leaves files alone", async () => {
    const form = new FormData();
    form.append("note\u0000", "x\u0000");
    form.append("file", new File(["%PDF\u0000"], "proof.pdf", { type: "application/pdf" }));
    const res = await app.request("/form", { method: "POST", body: form });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.body).toEqual({ [`note${R}`]: `x${R}`, file: {} });
    expect(body.form).toEqual({ [`note${R}`]: `x${R}`, file: {} });
  });
});
