// GET /metrics: Prometheus's text format after real actions, read back as Prometheus would; METRICS_TOKEN guards it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { startHub, type PaymentTestHub, type TestHub } from "../../support/hub";
import { POLL } from "../../support/setup/payments";

const TOKEN = "metrics-token-0123456789abcdef";

/** The samples of the text format as `name{label="v",…}` → value, labels in the order the registry wrote them. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/);
    if (!match) throw new Error(`not a sample line: ${line}`);
    found.set(match[1]!, Number(match[2]));
  }
  return found;
}

describe("GET /metrics with METRICS_TOKEN set", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {}, env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => p.stop());

  const scrape = async (authorization?: string) =>
    p.hub.app.request("/metrics", { headers: authorization ? { Authorization: authorization } : {} });
  const read = async () => samples(await (await scrape(`Bearer ${TOKEN}`)).text());

  it("answers 401 without the token or with another one", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-token-at-all")).status).toBe(401);
    expect((await scrape(p.adminKey ? `Bearer ${p.adminKey}` : undefined)).status).toBe(401);
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("counts intake, webhook rejections, outbound messages, payment attempts, queues and SLA breaches", async () => {
    // A created lead and its duplicate (the same Idempotency-Key).
    const lead = { source: "web_form", client: { email: "metrics@example.com" }, message: "A table for two" };
    const headers = { "Idempotency-Key": "metrics-lead-1" };
    expect((await p.request("POST", "/inquiries", { body: lead, headers })).status).toBe(201);
    expect((await p.request("POST", "/inquiries", { body: lead, headers })).status).toBe(200);
    // A refused one: the pipeline turns away a lead from an hour ahead.
    const ahead = new Date(Date.now() + 3600_000).toISOString();
    expect((await p.request("POST", "/inquiries", { body: { ...lead, received_at: ahead } })).status).toBe(400);
    // A forged Telegram webhook.
    expect(
      (await p.telegram.post(textUpdate({ chatId: newChatId(), messageId: 1 }, "hi"), "a-forged-secret-0000")).status,
    ).toBe(401);
    // A Telegram lead: its acknowledgement is sent into the chat; its booking's deposit opens a Stripe attempt.
    const booking = await p.payments.acceptedBooking();
    await p.payments.attempts(booking.bookingId, 1);

    await expect
      .poll(async () => (await read()).get('hub_outbound_messages_total{channel="telegram",outcome="sent"}'), POLL)
      .toBeGreaterThanOrEqual(1);
    const m = await read();
    expect(m.get('hub_intake_total{source="web_form",outcome="created"}')).toBe(1);
    expect(m.get('hub_intake_total{source="web_form",outcome="duplicate"}')).toBe(1);
    expect(m.get('hub_intake_total{source="web_form",outcome="refused"}')).toBe(1);
    expect(m.get('hub_intake_total{source="telegram",outcome="created"}')).toBe(1);
    expect(m.get('hub_intake_duration_seconds_count{source="web_form"}')).toBe(3);
    expect(m.get('hub_intake_duration_seconds_bucket{le="+Inf",source="web_form"}')).toBe(3);
    expect(m.get('hub_webhook_rejections_total{endpoint="/webhooks/telegram"}')).toBe(1);
    expect(m.get('hub_payment_attempts_total{provider="stripe",outcome="opened"}')).toBe(1);
    expect(m.get('hub_queue_jobs{queue="events",state="failed"}')).toBe(0);
    expect(m.get('hub_queue_lag_seconds{queue="sla"}')).toEqual(expect.any(Number));
    expect(m.get("hub_sla_breaches_open")).toBe(0);
    // The process's own metrics come too.
    expect(m.get("process_cpu_user_seconds_total")).toEqual(expect.any(Number));
  });
});

describe("GET /metrics without METRICS_TOKEN", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it("is open, as Prometheus expects, and in the OpenAPI document", async () => {
    const res = await t.hub.app.request("/metrics");
    expect(res.status).toBe(200);
    expect(samples(await res.text()).get("hub_sla_breaches_open")).toBe(0);
    const doc = (await t.request("GET", "/openapi.json", { key: null })).body;
    expect(doc.paths["/metrics"].get.responses["200"].content["text/plain"]).toBeDefined();
    expect(doc.paths["/health/system"].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
