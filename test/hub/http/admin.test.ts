import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../../hub/auth/api-keys";
import { startHub, type TestHub } from "../../support/hub";

describe("staff, partners and SLA policies", () => {
  let t: TestHub;
  let operator: { id: string; key: string };
  let manager: { id: string; key: string };

  beforeAll(async () => {
    t = await startHub();
    operator = await t.createUser("operator");
    manager = await t.createUser("manager");
  });
  afterAll(() => t.stop());

  const audit = (entityType: string, entityId: string) =>
    t.hub.database.rows<{ actor_id: string; action: string; before: unknown; after: unknown }>(
      sql`select actor_id::text, action, before, after from audit_log where entity_type = ${entityType} and entity_id = ${entityId} order by id`,
    );

  describe("authentication and roles", () => {
    it("asks for a bearer key, and rejects an unknown one", async () => {
      const none = await t.request("GET", "/inquiries", { key: null });
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toContain("Bearer");
      expect(none.headers.get("content-type")).toBe("application/problem+json");
      expect((await t.request("GET", "/inquiries", { key: "hub_not-a-real-key" })).status).toBe(401);
      expect(
        (await t.request("GET", "/inquiries", { key: null, headers: { Authorization: "Basic abc" } })).status,
      ).toBe(401);
    });

    it("lets each role do only its part", async () => {
      const cases: [string, string, string, number][] = [
        ["operator", "GET", "/inquiries", 200],
        ["operator", "GET", "/sla-policies", 403],
        ["operator", "GET", "/partners", 403],
        ["operator", "POST", "/operators", 403],
        ["manager", "GET", "/sla-policies", 200],
        ["manager", "GET", "/partners", 403],
        ["manager", "POST", "/operators", 403],
        ["admin", "GET", "/partners", 200],
        ["admin", "GET", "/sla-policies", 200],
      ];
      const keys: Record<string, string> = { operator: operator.key, manager: manager.key, admin: t.adminKey };
      for (const [role, method, path, status] of cases) {
        const body = method === "POST" ? { name: "x", role: "operator" } : undefined;
        const res = await t.request(method, path, { key: keys[role], body });
        expect(res.status, `${role} ${method} ${path}`).toBe(status);
      }
    });

    it("checks the role before the body, so a forbidden caller learns nothing about the input", async () => {
      const res = await t.request("POST", "/partners", { key: operator.key, body: { nonsense: true } });
      expect(res.status).toBe(403);
    });
  });

  describe("POST /operators", () => {
    it("creates staff with a key shown once and stored only as a hash", async () => {
      const res = await t.request("POST", "/operators", { body: { name: "Olga", role: "manager" } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: "Olga", role: "manager" });
      expect(res.body.api_key).toMatch(/^hub_[A-Za-z0-9_-]{43}$/);
      const stored = await t.hub.database.rows<{ api_key_hash: string }>(
        sql`select api_key_hash from users where id = ${res.body.id}`,
      );
      expect(stored[0]!.api_key_hash).toBe(hashApiKey(res.body.api_key));
      expect(JSON.stringify(stored)).not.toContain(res.body.api_key);
      // The new key works, with its role.
      expect((await t.request("GET", "/sla-policies", { key: res.body.api_key })).status).toBe(200);
      expect(await audit("user", res.body.id)).toEqual([
        {
          actor_id: expect.any(String),
          action: "operator.created",
          before: null,
          after: { name: "Olga", role: "manager" },
        },
      ]);
    });

    it("rejects unknown roles and empty names", async () => {
      const badRole = await t.request("POST", "/operators", { body: { name: "X", role: "owner" } });
      expect(badRole.status).toBe(400);
      expect(badRole.body.errors[0]).toEqual({ field: "role", message: "must be one of operator, manager, admin" });
      expect((await t.request("POST", "/operators", { body: { name: " ", role: "operator" } })).status).toBe(400);
      // NUL is no reason to refuse a name: like half a surrogate pair, it is kept as U+FFFD
      // (hub/http/storable-input.ts).
      const nul = await t.request("POST", "/operators", { body: { name: "a\u0000b", role: "operator" } });
      expect([nul.status, nul.body.name]).toEqual([201, "a\ufffdb"]);
    });
  });

  describe("partners", () => {
    it("creates, lists and audits partners; a taken code is a conflict", async () => {
      const res = await t.request("POST", "/partners", {
        body: { code: "thames-tours", name: "Thames Tours", commission_percent: 12.5 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code: "thames-tours", commission_percent: "12.50", status: "active" });
      expect(res.body.created_at).toMatch(/[+-]0[01]:00$/);
      const again = await t.request("POST", "/partners", {
        body: { code: "thames-tours", name: "Other", commission_percent: 1 },
      });
      expect(again.status).toBe(409);
      expect(again.body.errors).toEqual([{ field: "code", message: "is taken" }]);
      const list = await t.request("GET", "/partners");
      expect(list.body.items.map((p: { code: string }) => p.code)).toContain("thames-tours");
      const [entry] = await audit("partner", res.body.id);
      expect(entry).toMatchObject({
        action: "partner.created",
        before: null,
        after: { code: "thames-tours", name: "Thames Tours" },
      });
    });

    it("validates code, commission and status", async () => {
      const bad: [Record<string, unknown>, string][] = [
        [{ code: "Has Spaces", name: "X", commission_percent: 1 }, "code"],
        [{ code: "ok-code", name: "X", commission_percent: 101 }, "commission_percent"],
        [{ code: "ok-code", name: "X", commission_percent: 12.345 }, "commission_percent"],
        [{ code: "ok-code", name: "X", commission_percent: -1 }, "commission_percent"],
        [{ code: "ok-code", name: "X", commission_percent: 5, status: "closed" }, "status"],
        [{ code: "ok-code", commission_percent: 5 }, "name"],
      ];
      for (const [body, field] of bad) {
        const res = await t.request("POST", "/partners", { body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      }
      const decimal = await t.request("POST", "/partners", {
        body: { code: "str-pct", name: "S", commission_percent: "7.25" },
      });
      expect(decimal.body.commission_percent).toBe("7.25");
    });
  });

  describe("SLA policies", () => {
    it("lists one policy per source with the defaults", async () => {
      const res = await t.request("GET", "/sla-policies", { key: manager.key });
      expect(
        res.body.items.map((p: { source: string; deadline_minutes: number }) => [p.source, p.deadline_minutes]),
      ).toEqual([
        ["web_form", 60],
        ["whatsapp", 15],
        ["telegram", 15],
        ["phone", 30],
        ["partner", 120],
      ]);
    });

    it("changes a policy, audited with before and after, and new inquiries use it", async () => {
      const res = await t.request("PUT", "/sla-policies/partner", {
        key: manager.key,
        body: { deadline_minutes: 240 },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ source: "partner", deadline_minutes: 240, updated_by: manager.id });
      const entries = await audit("sla_policy", "partner");
      expect(entries.at(-1)).toEqual({
        actor_id: manager.id,
        action: "sla_policy.updated",
        before: { deadline_minutes: 120, clock: "wall", business_hours: [] },
        after: { deadline_minutes: 240, clock: "wall", business_hours: [] },
      });
      const partner = await t.createPartner();
      const inquiry = await t.request("POST", "/inquiries", {
        body: { source: "partner", partner_code: partner.code, client: { email: "p@example.com" } },
      });
      expect(inquiry.body.sla_deadline_minutes).toBe(240);
    });

    it("rejects unknown sources and impossible deadlines", async () => {
      const unknown = await t.request("PUT", "/sla-policies/email", { body: { deadline_minutes: 10 } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0]).toEqual({
        field: "source",
        message: "must be one of web_form, whatsapp, telegram, phone, partner",
      });
      for (const deadline_minutes of [0, -5, 10_081, 1.5, "10"]) {
        expect((await t.request("PUT", "/sla-policies/phone", { body: { deadline_minutes } })).status).toBe(400);
      }
    });
  });
});
