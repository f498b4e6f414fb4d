// POST /partners/{code}/inquiries: Standard Webhooks signatures, idempotency by webhook-id, partner status, body rules.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSigningSecret } from "../../../channels/partner/signing-secret";
import { startHub, type TestHub } from "../../support/hub";
import { postSignedLead } from "./support";

describe("partner channel: signed leads", () => {
  let t: TestHub;
  let code: string;
  let secret: string;
  let n = 0;
  const newId = () => `msg_${Date.now().toString(36)}${++n}`;
  const lead = (email = `lead${++n}@example.com`) => ({
    client: { name: "Pat", email },
    message: "Walking tour for 6",
    party_size: 6,
  });

  beforeAll(async () => {
    t = await startHub();
    const partner = await t.createPartner({ name: "Thames Tours" });
    code = String(partner.code);
    secret = String(partner.signing_secret);
  });
  afterAll(() => t.stop());

  async function counts() {
    const [row] = await t.hub.database.rows<{ inquiries: string; webhook_events: string }>(sql`select
      (select count(*) from inquiries)::text as inquiries, (select count(*) from webhook_events)::text as webhook_events`);
    return { inquiries: Number(row!.inquiries), webhookEvents: Number(row!.webhook_events) };
  }

  /** Runs `act` and checks that it stored nothing. */
  async function storesNothing<T>(act: () => Promise<T>): Promise<T> {
    const before = await counts();
    const result = await act();
    expect(await counts()).toEqual(before);
    return result;
  }

  it("takes a signed lead: 201 with its reference and London SLA deadline; stores the raw body", async () => {
    const id = newId();
    const body = lead("ann@example.com");
    const res = await postSignedLead(t, code, secret, id, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reference: expect.stringMatching(/^INQ-\d+$/),
      status: "new",
      partner_code: code,
    });
    expect(res.body.sla_deadline_at).toMatch(/[+-]0[01]:00$/);
    const [row] = await t.hub.database.rows<Record<string, unknown>>(
      sql`select source, partner_code, webhook_event_id, idempotency_key from inquiries where id = ${res.body.id}`,
    );
    expect(row).toEqual({
      source: "partner",
      partner_code: code,
      webhook_event_id: `${code}:${id}`,
      idempotency_key: `partner:${code}:${id}`,
    });
    const [event] = await t.hub.database.rows<{ payload: unknown }>(
      sql`select payload from webhook_events where source = 'partner' and external_event_id = ${`${code}:${id}`}`,
    );
    expect(event!.payload).toEqual(body);
  });

  it("a redelivery of the same webhook-id and body answers 200 with the same inquiry; another body is 409", async () => {
    const id = newId();
    const body = lead();
    const first = await postSignedLead(t, code, secret, id, body);
    expect(first.status).toBe(201);
    // Re-signed a little later, as a partner's retry would be.
    const again = await storesNothing(() =>
      postSignedLead(t, code, secret, id, body, { at: new Date(Date.now() - 30_000) }),
    );
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body.reference).toBe(first.body.reference);

    const other = await storesNothing(() =>
      postSignedLead(t, code, secret, id, { ...body, message: "Something else" }),
    );
    expect(other.status).toBe(409);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
    expect(other.body.detail).toContain(id);
  });

  it("two partners may use the same webhook-id", async () => {
    const second = await t.createPartner();
    const id = newId();
    expect((await postSignedLead(t, code, secret, id, lead())).status).toBe(201);
    expect((await postSignedLead(t, String(second.code), String(second.signing_secret), id, lead())).status).toBe(201);
  });

  it("refuses a stale timestamp (6 minutes old) with 401 and stores nothing", async () => {
    const res = await storesNothing(() =>
      postSignedLead(t, code, secret, newId(), lead(), { at: new Date(Date.now() - 6 * 60_000) }),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body.detail).toMatch(/more than 5 minutes old/);
    const ahead = await storesNothing(() =>
      postSignedLead(t, code, secret, newId(), lead(), { at: new Date(Date.now() + 6 * 60_000) }),
    );
    expect(ahead.status).toBe(401);
  });

  it("refuses missing headers, a wrong secret and a body changed after signing, with 401, storing nothing", async () => {
    const bare = await storesNothing(() =>
      t.request("POST", `/partners/${code}/inquiries`, { key: null, body: lead() }),
    );
    expect(bare.status).toBe(401);
    expect(bare.body.detail).toMatch(/webhook-id, webhook-timestamp and webhook-signature/);

    const forged = await storesNothing(() => postSignedLead(t, code, newSigningSecret(), newId(), lead()));
    expect(forged.status).toBe(401);
    expect(forged.body.detail).toMatch(/does not match/);

    const body = lead();
    const tampered = await storesNothing(() =>
      postSignedLead(t, code, secret, newId(), { ...body, party_size: 60 }, { signedBody: JSON.stringify(body) }),
    );
    expect(tampered.status).toBe(401);

    // A bearer key is no substitute for the signature.
    const withKey = await storesNothing(() => t.request("POST", `/partners/${code}/inquiries`, { body: lead() }));
    expect(withKey.status).toBe(401);
  });

  it("answers an unknown partner code exactly as a bad signature (401), so it does not tell who is a partner", async () => {
    const unknown = await storesNothing(() => postSignedLead(t, "no-such-partner", secret, newId(), lead()));
    const forged = await postSignedLead(t, code, newSigningSecret(), newId(), lead());
    expect(unknown.status).toBe(401);
    expect(unknown.body.detail).toBe(forged.body.detail);
  });

  it("refuses a suspended partner's genuine lead with 403 and stores nothing; reactivated, it is taken", async () => {
    const partner = await t.createPartner();
    const [pCode, pSecret] = [String(partner.code), String(partner.signing_secret)];
    expect((await t.request("PATCH", `/partners/${pCode}`, { body: { status: "suspended" } })).status).toBe(200);
    const id = newId();
    const body = lead();
    const res = await storesNothing(() => postSignedLead(t, pCode, pSecret, id, body));
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain("suspended");
    // A suspended partner with a wrong signature still learns nothing more than 401.
    expect((await postSignedLead(t, pCode, newSigningSecret(), newId(), body)).status).toBe(401);

    expect((await t.request("PATCH", `/partners/${pCode}`, { body: { status: "active" } })).status).toBe(200);
    expect((await postSignedLead(t, pCode, pSecret, id, body)).status).toBe(201);
  });

  it("refuses partner_code and source in the body (400: they come from the path), and other bad bodies", async () => {
    const withCode = await storesNothing(() =>
      postSignedLead(t, code, secret, newId(), { ...lead(), partner_code: code }),
    );
    expect(withCode.status).toBe(400);
    expect(withCode.body.errors).toEqual([
      { field: "partner_code", message: expect.stringContaining("comes from the path") },
    ]);

    const withSource = await postSignedLead(t, code, secret, newId(), { ...lead(), source: "partner" });
    expect(withSource.status).toBe(400);
    expect(withSource.body.errors[0].field).toBe("source");

    const cases: [unknown, string][] = [
      ["not json", "(body)"],
      [[1, 2], "(body)"],
      [{ message: "no way to answer" }, "client"],
      [{ ...lead(), party_size: 0 }, "party_size"],
      [{ ...lead(), external_chat_id: "123" }, "external_chat_id"],
      [{ ...lead(), idempotency_key: "k" }, "idempotency_key"],
      [{ ...lead(), received_at: "yesterday" }, "received_at"],
    ];
    for (const [body, field] of cases) {
      const res = await storesNothing(() => postSignedLead(t, code, secret, newId(), body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const longId = await storesNothing(() => postSignedLead(t, code, secret, "x".repeat(65), lead()));
    expect(longId.status).toBe(400);
    expect(longId.body.errors[0].field).toBe("webhook-id");
  });

  it("is in the OpenAPI document with its three signature headers", async () => {
    const doc = (await t.request("GET", "/openapi.json", { key: null })).body;
    const operation = doc.paths["/partners/{code}/inquiries"].post;
    expect(
      operation.parameters.filter((p: { in: string }) => p.in === "header").map((p: { name: string }) => p.name),
    ).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
    expect(operation.security).toEqual([]);
  });
});

describe("partner channel: signing secrets", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  const audit = (entityId: string) =>
    t.hub.database.rows<{ action: string; before: unknown; after: unknown }>(
      sql`select action, before, after from audit_log where entity_type = 'partner' and entity_id = ${entityId} order by id`,
    );

  it("shows the secret once, at creation; never in GET /partners or the audit log", async () => {
    const created = await t.request("POST", "/partners", {
      body: { code: "once-only", name: "Once", commission_percent: 5 },
    });
    expect(created.status).toBe(201);
    const secret = created.body.signing_secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(created.body.has_signing_secret).toBe(true);

    const list = await t.request("GET", "/partners");
    const listed = list.body.items.find((p: { code: string }) => p.code === "once-only");
    expect(listed).toMatchObject({ code: "once-only", has_signing_secret: true, webhook_url: null });
    expect(JSON.stringify(list.body)).not.toContain(secret.slice(6));
    expect(JSON.stringify(await audit(created.body.id))).not.toContain(secret.slice(6));
  });

  it("rotation returns a new secret once; the old one stops working at once; audited without the secret", async () => {
    const partner = await t.createPartner();
    const [code, oldSecret] = [String(partner.code), String(partner.signing_secret)];
    const lead = (email: string) => ({ client: { email } });
    expect((await postSignedLead(t, code, oldSecret, "before-rotation", lead("a@example.com"))).status).toBe(201);

    const rotated = await t.request("POST", `/partners/${code}/signing-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.signing_secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);

    expect((await postSignedLead(t, code, oldSecret, "after-rotation-old", lead("b@example.com"))).status).toBe(401);
    expect((await postSignedLead(t, code, newSecret, "after-rotation-new", lead("c@example.com"))).status).toBe(201);

    const entries = await audit(String(partner.id));
    expect(entries.map((e) => e.action)).toEqual(["partner.created", "partner.signing_secret_rotated"]);
    expect(JSON.stringify(entries)).not.toContain(newSecret.slice(6));
    expect(JSON.stringify(entries)).not.toContain(oldSecret.slice(6));

    expect((await t.request("POST", "/partners/nobody-here/signing-secret")).status).toBe(404);
    const operator = await t.createUser("manager");
    expect((await t.request("POST", `/partners/${code}/signing-secret`, { key: operator.key })).status).toBe(403);
  });

  it("changes a partner (audited); webhook_url must be https, or http on loopback", async () => {
    const partner = await t.createPartner({ webhook_url: "https://partner.example/hooks" });
    const code = String(partner.code);
    expect(partner.webhook_url).toBe("https://partner.example/hooks");

    const changed = await t.request("PATCH", `/partners/${code}`, {
      body: { name: "Renamed", commission_percent: "7.5", webhook_url: "http://127.0.0.1:9/hooks" },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: "Renamed",
      commission_percent: "7.50",
      webhook_url: "http://127.0.0.1:9/hooks",
    });
    expect(changed.body).not.toHaveProperty("signing_secret");
    const cleared = await t.request("PATCH", `/partners/${code}`, { body: { webhook_url: null } });
    expect(cleared.body.webhook_url).toBeNull();
    const [, update] = await audit(String(partner.id));
    expect(update).toMatchObject({
      action: "partner.updated",
      before: { name: "Partner" },
      after: { name: "Renamed" },
    });

    const bad: [Record<string, unknown>, string][] = [
      [{ webhook_url: "http://partner.example/hooks" }, "webhook_url"],
      [{ webhook_url: "ftp://partner.example/" }, "webhook_url"],
      [{ webhook_url: "https://user:pw@partner.example/" }, "webhook_url"],
      [{ webhook_url: "not a url" }, "webhook_url"],
      [{ status: "closed" }, "status"],
      [{ code: "new-code" }, "code"],
      [{}, "(body)"],
    ];
    for (const [body, field] of bad) {
      const res = await t.request("PATCH", `/partners/${code}`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    const badCreate = await t.request("POST", "/partners", {
      body: { code: "plain-http", name: "P", commission_percent: 1, webhook_url: "http://partner.example/" },
    });
    expect(badCreate.status).toBe(400);
    expect((await t.request("PATCH", "/partners/nobody-here", { body: { name: "X" } })).status).toBe(404);
  });
});
