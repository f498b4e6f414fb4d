import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

describe("health, OpenAPI and docs", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it("runs with the process time zone far from London", () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe("Asia/Tokyo");
  });

  it("is live and ready once migrated", async () => {
    expect((await t.request("GET", "/health/live", { key: null })).body).toEqual({ status: "ok" });
    const ready = await t.request("GET", "/health/ready", { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
  });

  it("serves an OpenAPI 3.1 document listing every route", async () => {
    const doc = (await t.request("GET", "/openapi.json", { key: null })).body;
    expect(doc.openapi).toBe("3.1.0");
    // With no channel connected: the webhook routes of Telegram and WhatsApp exist only when those are set up.
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/forms/inquiry",
        "/health",
        "/health/live",
        "/health/system",
        "/metrics",
        "/health/ready",
        "/inquiries",
        "/inquiries/{id}",
        "/availability/mismatches",
        "/b/{token}",
        "/bookings",
        "/bookings/{id}",
        "/bookings/{id}/accept",
        "/bookings/{id}/cancel",
        "/bookings/{id}/no-show",
        "/bookings/{id}/propose",
        "/bookings/{id}/payments",
        "/clients/{id}/export",
        "/clients/{id}/erase",
        "/pay/done",
        "/pay/{token}",
        "/pay/{token}/proof",
        "/payments",
        "/payments/{id}",
        "/payments/{id}/approve",
        "/payments/{id}/proofs",
        "/payments/{id}/proofs/{proof_id}",
        "/payments/{id}/reject",
        "/payments/{id}/refunds",
        "/payments/{id}/refund-sent",
        "/webhooks/stripe",
        "/webhooks/secondary",
        "/inquiries/{id}/contacts",
        "/inquiries/{id}/matches",
        "/inquiries/{id}/messages",
        "/inquiries/{id}/take",
        "/inquiries/{id}/timeline",
        "/jobs/failed",
        "/holidays",
        "/holidays/{date}",
        "/jobs/{id}/retry",
        "/operators",
        "/operators/{id}/telegram-link",
        "/partners",
        "/partners/{code}",
        "/partners/{code}/inquiries",
        "/partners/{code}/notifications",
        "/partners/{code}/signing-secret",
        "/queue",
        "/reports/daily",
        "/resources",
        "/resources/{id}",
        "/resources/{id}/availability",
        "/resources/{id}/blocks",
        "/resources/{id}/blocks/{block_id}",
        "/sla-policies",
        "/sla-policies/{source}",
        "/templates",
        "/templates/{key}",
      ].sort(),
    );
    expect(doc.paths["/inquiries"].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.InquiryInput.properties.source.enum).toEqual([
      "web_form",
      "whatsapp",
      "telegram",
      "phone",
      "partner",
    ]);
  });

  it("serves a docs page", async () => {
    const page = await t.request("GET", "/docs", { key: null });
    expect(page.status).toBe(200);
    expect(page.body).toContain("/openapi.json");
  });

  it("answers unknown routes with a problem", async () => {
    const res = await t.request("GET", "/nope", { key: null });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 404, title: "Not found" });
  });
});
