// GET /health/system: each widget turns warn or critical under a fault injected for real, and says why.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub, type TestHub } from "../../support/hub";
import { POLL } from "../../support/setup/payments";

const WIDGETS = ["stripe", "secondary", "webhooks", "queues", "availability", "sla"];

describe("GET /health/system with nothing but the embedded default", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
  });
  afterAll(() => t.stop());

  const system = async () => {
    const res = await t.request("GET", "/health/system", { key: manager.key });
    expect(res.status).toBe(200);
    return res.body;
  };

  it("needs a key (401) and a manager (403 for an operator)", async () => {
    expect((await t.request("GET", "/health/system", { key: null })).status).toBe(401);
    const operator = await t.createUser("operator");
    expect((await t.request("GET", "/health/system", { key: operator.key })).status).toBe(403);
  });

  it("shows six widgets; providers not configured are warn, never ok, and the rest ok", async () => {
    const body = await system();
    expect(Object.keys(body.widgets)).toEqual(WIDGETS);
    expect(body.checked_at).toMatch(/[+-]0[01]:00$/);
    expect(body.widgets.stripe).toMatchObject({
      status: "warn",
      summary: "Stripe is not configured, so deposits skip it.",
      figures: { configured: false },
      thresholds: { success_rate_warn: 0.9, success_rate_critical: 0.5 },
    });
    expect(body.widgets.secondary).toMatchObject({ status: "warn", figures: { configured: false } });
    for (const name of ["webhooks", "queues", "availability", "sla"])
      expect(body.widgets[name], name).toMatchObject({ status: "ok" });
    expect(body.widgets.queues.figures.queues.events).toMatchObject({ failed: 0, oldest_waiting_ms: null });
    expect(body.status).toBe("warn");
    // GET /health is as it was.
    expect((await t.request("GET", "/health", { key: manager.key })).body).toMatchObject({ status: "ok" });
  });

  it("webhooks: a forged partner webhook is a rejected signature; a webhook-born dead letter a processing failure", async () => {
    const partner = await t.createPartner();
    const forged = await t.hub.app.request(`/partners/${partner.code}/inquiries`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "webhook-id": "msg_forged",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,Zm9yZ2Vk",
      },
      body: JSON.stringify({ message: "hello", client: { email: "forger@example.com" } }),
    });
    expect(forged.status).toBe(401);
    let webhooks = (await system()).widgets.webhooks;
    expect(webhooks).toMatchObject({
      status: "warn",
      summary: "1 partner webhook(s) refused for their signature in 24 h.",
      figures: { rejected_signatures_24h: { partner: 1 }, processing_failures: {} },
      thresholds: { rejections_warn: 1, rejections_critical: 20 },
    });

    // A Telegram lead's event its subscriber cannot take: a dead letter, counted apart from the signatures.
    const jobId = randomUUID();
    const bad = {
      id: jobId,
      type: "inquiry.created",
      payload: { source: "telegram", received_at: "no" },
      created_at: "",
    };
    await t.hub.jobs.enqueue("events", "inquiry.created", bad, { jobId, attempts: 1 });
    await expect.poll(() => t.hub.jobs.stats("events").then((s) => s.failed), POLL).toBe(1);
    webhooks = (await system()).widgets.webhooks;
    expect(webhooks.figures).toEqual({ rejected_signatures_24h: { partner: 1 }, processing_failures: { telegram: 1 } });
    expect(webhooks.summary).toContain("1 telegram webhook event(s) in dead letters");
    const queues = (await system()).widgets.queues;
    expect(queues).toMatchObject({ status: "warn", summary: "1 dead letter(s) in the events queue." });

    // Put back in its queue: no longer a dead letter, so no longer a processing failure.
    expect((await t.request("POST", `/jobs/${jobId}/retry?queue=events`, { key: manager.key })).status).toBe(200);
    expect((await system()).widgets.webhooks.figures.processing_failures).toEqual({});
  });

  it("sla: an open inquiry past its deadline with no response is warn, critical once overdue past the threshold", async () => {
    const lead = await t.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        client: { email: "late@example.com" },
        received_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
      },
    });
    expect(lead.status).toBe(201);
    const sla = (await system()).widgets.sla;
    expect(sla.status).toBe("critical");
    expect(sla.figures.open_breaches).toBe(1);
    expect(sla.figures.oldest_overdue_ms).toBeGreaterThan(3600_000);
    expect(sla.summary).toMatch(/^1 open inquiry\(ies\) past their SLA deadline with no response, the oldest by \d+ h/);
    expect(sla.thresholds).toEqual({ breaches_warn: 1, overdue_critical_ms: 3600_000 });
  });

  it("availability: a booking whose resource was made inactive is a mismatch", async () => {
    const room = await t.request("POST", "/resources", { body: { name: "Health room", capacity: 8 } });
    const lead = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: "booker@example.com" } },
    });
    const held = await t.request("POST", "/bookings", {
      body: {
        inquiry_id: lead.body.id,
        resource_id: room.body.id,
        start_at: "2030-06-01T19:00",
        duration_minutes: 60,
        deposit_amount: 2500,
      },
    });
    expect(held.status).toBe(201);
    expect((await system()).widgets.availability.status).toBe("ok");
    await t.request("PATCH", `/resources/${room.body.id}`, { body: { status: "inactive" } });
    expect((await system()).widgets.availability).toMatchObject({
      status: "warn",
      figures: { mismatched_bookings: 1 },
      summary: expect.stringMatching(/^1 active booking\(s\) their resource can no longer take/),
    });
  });
});

describe("GET /health/system with a stuck queue", () => {
  let t: TestHub;
  beforeAll(async () => {
    // An API-only process takes no jobs: a due job waits until the lag crosses the (lowered) thresholds.
    t = await startHub({
      jobs: "in-process",
      overrides: { role: "api" },
      env: { HEALTH_QUEUE_LAG_WARN_SECONDS: "0.3", HEALTH_QUEUE_LAG_CRITICAL_SECONDS: "1" },
    });
  });
  afterAll(() => t.stop());

  it("turns warn, then critical, as the oldest due job waits", async () => {
    await t.hub.jobs.enqueue("bookings", "hold.expire", { booking_id: randomUUID() });
    const queues = () => t.request("GET", "/health/system").then((r) => r.body.widgets.queues);
    await expect.poll(() => queues().then((q) => q.status), POLL).toBe("warn");
    await expect.poll(() => queues().then((q) => q.status), POLL).toBe("critical");
    const q = await queues();
    expect(q.figures.queues.bookings.waiting).toBe(1);
    expect(q.figures.queues.bookings.oldest_waiting_ms).toBeGreaterThanOrEqual(1000);
    expect(q.summary).toMatch(
      /^The oldest due job in the bookings queue has waited \d+ s \(is a worker running\?\)\.$/,
    );
    expect(q.thresholds).toEqual({ lag_warn_ms: 300, lag_critical_ms: 1000 });
  });
});

describe("GET /health/system with a failing provider", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {} });
  });
  afterAll(() => p.stop());

  it("is critical for Stripe answering 500, warn for the secondary holding the failover; a forged Stripe webhook counts", async () => {
    const system = () => p.request("GET", "/health/system").then((r) => r.body);
    const before = await system();
    expect(before.widgets.stripe).toMatchObject({ status: "ok", figures: { configured: true, name: "stripe" } });
    expect(before.widgets.secondary).toMatchObject({ status: "ok", figures: { configured: true, name: "revolut" } });

    p.payments.stripe!.failNext(500);
    const b = await p.payments.acceptedBooking();
    await p.payments.attempts(b.bookingId, 2);
    const after = await system();
    expect(after.status).toBe("critical");
    expect(after.widgets.stripe).toMatchObject({
      status: "critical",
      summary: "Only 0% of stripe attempts in 24 h were paid.",
      figures: { success_rate: 0, attempts_24h: 1 },
    });
    expect(after.widgets.stripe.figures.latency_p95_ms).toEqual(expect.any(Number));
    expect(after.widgets.secondary).toMatchObject({
      status: "warn",
      summary: "1 booking(s) wait on revolut because the provider before it failed.",
      figures: { open_failovers: 1 },
    });

    const forged = await p.payments.webhook("stripe", {
      body: JSON.stringify({ id: "evt_forged", type: "checkout.session.completed" }),
      headers: { "stripe-signature": "t=1,v1=forged" },
    });
    expect(forged.status).toBe(400);
    expect((await system()).widgets.webhooks.figures.rejected_signatures_24h).toEqual({ stripe: 1 });
  });
});
