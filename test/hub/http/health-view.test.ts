// GET /health: the view an operator on call looks at, on whichever driver the run has.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

describe("the health view", () => {
  let t: TestHub;
  let operator: { id: string; key: string };
  beforeAll(async () => {
    t = await startHub();
    operator = await t.createUser("operator");
  });
  afterAll(() => t.stop());

  it("needs a key, and says ok with the queue's figures when nothing waits", async () => {
    expect((await t.request("GET", "/health", { key: null })).status).toBe(401);
    const res = await t.request("GET", "/health", { key: operator.key });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      warnings: [],
      database: t.hub.database.driver,
      jobs: { driver: t.hub.jobs.kind, queues: { events: { waiting: 0, failed: 0, oldest_waiting_ms: null } } },
      outbox: { unpublished: 0, oldest_unpublished_ms: null, last_error: null },
      channels: {
        telegram: { connected: false, mode: "off (TELEGRAM_BOT_TOKEN not set)", warnings: [] },
        whatsapp: { connected: false, mode: "off (WHATSAPP_DRIVER not set)", warnings: [] },
        web_form: { connected: true, mode: expect.stringMatching(/^Turnstile OFF, rate limit in /), warnings: [] },
        phone: { connected: true, warnings: [] },
        partner: { connected: true, warnings: [] },
      },
      // No provider settings: deposits go straight to manual, which is always there.
      payments: {
        stripe: {
          configured: false,
          success_rate: null,
          attempts_24h: 0,
          latency_p50_ms: null,
          since_last_webhook_ms: null,
          open_failovers: 0,
          rejected_signatures: 0,
        },
        secondary: { configured: false, attempts_24h: 0 },
        manual: { configured: true, name: "manual", attempts_24h: 0 },
      },
    });
  });

  it("turns degraded, saying why, for a dead letter and for events stuck in the outbox", async () => {
    // A dead letter: an event its subscriber cannot handle, with one attempt.
    const jobId = randomUUID();
    const bad = {
      id: jobId,
      type: "inquiry.created",
      payload: { source: "web_form", received_at: "not a date" },
      created_at: "",
    };
    await t.hub.jobs.enqueue("events", "inquiry.created", bad, { jobId, attempts: 1 });
    await expect.poll(() => t.hub.jobs.stats("events").then((s) => s.failed), { timeout: 10_000 }).toBe(1);

    // Events no relay publishes: the relay is stopped and the events are two minutes old.
    await t.hub.relay.stop();
    await t.hub.database.rows(sql`insert into outbox_events (id, type, aggregate_type, aggregate_id, payload, created_at, last_error)
      values (gen_random_uuid(), 'inquiry.created', 'inquiry', gen_random_uuid(), '{}', now() - interval '2 minutes', 'Connection is closed.'),
             (gen_random_uuid(), 'inquiry.created', 'inquiry', gen_random_uuid(), '{}', now() - interval '1 minute', null)`);

    const res = await t.request("GET", "/health", { key: operator.key });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("degraded");
    expect(res.body.jobs.queues.events.failed).toBe(1);
    expect(res.body.outbox).toMatchObject({ unpublished: 2, last_error: "Connection is closed." });
    expect(res.body.outbox.oldest_unpublished_ms).toBeGreaterThanOrEqual(120_000);
    expect(res.body.warnings).toEqual([
      "1 dead letter(s) in the events queue: see GET /jobs/failed.",
      expect.stringMatching(
        /^2 event\(s\) waiting in the outbox, the oldest for 1[2-3]\d s; last error: Connection is closed\.$/,
      ),
    ]);
  });
});

describe("pruning", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it("deletes events processed more than a week ago, never unprocessed ones, and markers a month after their event is gone", async () => {
    await t.hub.relay.stop();
    const [oldDone, recentDone, oldPending] = [randomUUID(), randomUUID(), randomUUID()];
    await t.hub.database.rows(sql`insert into outbox_events (id, type, aggregate_type, aggregate_id, payload, created_at, published_at, processed_at) values
      (${oldDone}, 'inquiry.created', 'inquiry', gen_random_uuid(), '{}', now() - interval '9 days', now() - interval '9 days', now() - interval '8 days'),
      (${recentDone}, 'inquiry.created', 'inquiry', gen_random_uuid(), '{}', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'),
      (${oldPending}, 'inquiry.created', 'inquiry', gen_random_uuid(), '{}', now() - interval '9 days', now() - interval '9 days', null)`);
    const longGone = randomUUID();
    await t.hub.database.rows(sql`insert into processed_events (event_id, handler, processed_at) values
      (${oldDone}, 'metrics.count-inquiries', now() - interval '8 days'),
      (${oldPending}, 'metrics.count-inquiries', now() - interval '40 days'),
      (${longGone}, 'metrics.count-inquiries', now() - interval '40 days')`);

    expect(await t.hub.relay.prune()).toMatchObject({ events: 1, markers: 1 });
    const left = await t.hub.database.rows<{ id: string }>(sql`select id from outbox_events order by created_at`);
    expect(left.map((r) => r.id).sort()).toEqual([recentDone, oldPending].sort());
    // A week-old event's marker outlives it; a month-old one whose event is gone goes; one whose event waits stays.
    const markers = await t.hub.database.rows<{ event_id: string }>(
      sql`select event_id from processed_events where event_id in (${oldDone}, ${oldPending}, ${longGone})`,
    );
    expect(markers.map((m) => m.event_id).sort()).toEqual([oldDone, oldPending].sort());
  });
});
