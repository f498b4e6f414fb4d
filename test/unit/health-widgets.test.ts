// System Health's rules: each widget's status from its figures and thresholds, the summary, the worst status on top.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../../hub/env";
import { availabilityWidget } from "../../hub/health/system/availability-widget";
import { type PaymentFigures, paymentWidget } from "../../hub/health/system/payment-widget";
import { queuesWidget } from "../../hub/health/system/queues-widget";
import { slaWidget } from "../../hub/health/system/sla-widget";
import { healthThresholds } from "../../hub/health/system/thresholds";
import { webhookSenderOf } from "../../hub/health/system/webhook-born";
import { webhooksWidget } from "../../hub/health/system/webhooks-widget";
import { readableDuration, worstStatus } from "../../hub/health/system/widget";

const t = healthThresholds(parseEnv({}));

const stripe = (f: Partial<PaymentFigures> = {}): PaymentFigures => ({
  configured: true,
  name: "stripe",
  success_rate: 1,
  attempts_24h: 10,
  latency_p50_ms: 200,
  latency_p95_ms: 400,
  since_last_webhook_ms: 60_000,
  open_failovers: 0,
  ...f,
});

describe("the thresholds", () => {
  it("have the documented defaults, and settings change them", () => {
    expect(t).toEqual({
      paymentSuccessWarn: 0.9,
      paymentSuccessCritical: 0.5,
      paymentLatencyWarnMs: 3000,
      paymentWebhookSilenceMs: 120 * 60_000,
      webhookRejectionsWarn: 1,
      webhookRejectionsCritical: 20,
      queueLagWarnMs: 60_000,
      queueLagCriticalMs: 600_000,
      slaOverdueCriticalMs: 3600_000,
    });
    const changed = healthThresholds(
      parseEnv({
        HEALTH_PAYMENT_SUCCESS_WARN: "0.75",
        HEALTH_QUEUE_LAG_WARN_SECONDS: "5",
        HEALTH_SLA_OVERDUE_CRITICAL_MINUTES: "15",
      }),
    );
    expect(changed).toMatchObject({ paymentSuccessWarn: 0.75, queueLagWarnMs: 5000, slaOverdueCriticalMs: 900_000 });
    expect(() => parseEnv({ HEALTH_PAYMENT_SUCCESS_WARN: "2" })).toThrow(/HEALTH_PAYMENT_SUCCESS_WARN/);
  });
});

describe("the payment widgets", () => {
  it("is warn when the slot is not configured, whatever else", () => {
    expect(paymentWidget("secondary", stripe({ configured: false, name: "secondary" }), t)).toMatchObject({
      status: "warn",
      summary: "Secondary is not configured, so deposits skip it.",
    });
  });

  it("is ok while attempts are paid, the API quick and webhooks coming", () => {
    expect(paymentWidget("stripe", stripe(), t)).toMatchObject({
      status: "ok",
      summary: "Stripe is configured and taking payments normally.",
      thresholds: { success_rate_warn: 0.9, success_rate_critical: 0.5, latency_p95_warn_ms: 3000 },
    });
    // No ended attempt yet: nothing to judge the rate on.
    expect(paymentWidget("stripe", stripe({ success_rate: null, attempts_24h: 0 }), t).status).toBe("ok");
  });

  it("turns warn below the warn rate and critical below the critical one, on the edges as documented", () => {
    expect(paymentWidget("stripe", stripe({ success_rate: 0.9 }), t).status).toBe("ok");
    expect(paymentWidget("stripe", stripe({ success_rate: 0.89 }), t)).toMatchObject({
      status: "warn",
      summary: "89% of stripe attempts in 24 h were paid.",
    });
    expect(paymentWidget("stripe", stripe({ success_rate: 0.5 }), t).status).toBe("warn");
    expect(paymentWidget("stripe", stripe({ success_rate: 0.49 }), t).status).toBe("critical");
  });

  it("warns of a slow API, silent webhooks and open failovers, the worst finding first", () => {
    const w = paymentWidget(
      "stripe",
      stripe({ success_rate: 0.2, latency_p95_ms: 3001, since_last_webhook_ms: 3 * 3600_000, open_failovers: 2 }),
      t,
    );
    expect(w.status).toBe("critical");
    expect(w.summary).toBe(
      "Only 20% of stripe attempts in 24 h were paid; stripe's API answers slowly (p95 3001 ms); no verified stripe " +
        "webhook for 3 h although attempts were made; 2 booking(s) wait on stripe because the provider before it failed.",
    );
    // A slot that never had a webhook may be new: no warning for silence then.
    expect(paymentWidget("stripe", stripe({ since_last_webhook_ms: null }), t).status).toBe("ok");
  });
});

describe("the webhooks widget", () => {
  it("counts refused signatures per sender against the thresholds, and dead letters apart", () => {
    const none = webhooksWidget({ rejected_signatures_24h: {}, processing_failures: {} }, t);
    expect(none).toMatchObject({ status: "ok", summary: "Every webhook in the last 24 h was signed and processed." });
    expect(webhooksWidget({ rejected_signatures_24h: { telegram: 1 }, processing_failures: {} }, t).status).toBe(
      "warn",
    );
    expect(
      webhooksWidget({ rejected_signatures_24h: { telegram: 19, stripe: 20 }, processing_failures: {} }, t),
    ).toMatchObject({
      status: "critical",
      summary:
        "20 stripe webhooks refused for their signature in 24 h; 19 telegram webhook(s) refused for their signature in 24 h.",
    });
    expect(webhooksWidget({ rejected_signatures_24h: {}, processing_failures: { partner: 2 } }, t)).toMatchObject({
      status: "warn",
      summary: "2 partner webhook event(s) in dead letters.",
    });
  });

  it("tells webhook-born events from the rest", () => {
    expect(webhookSenderOf("inquiry.created", { payload: { source: "telegram" } })).toBe("telegram");
    expect(webhookSenderOf("message.received", { payload: { source: "whatsapp" } })).toBe("whatsapp");
    expect(webhookSenderOf("inquiry.created", { payload: { source: "web_form" } })).toBeNull();
    expect(webhookSenderOf("inquiry.created", { payload: { source: "phone" } })).toBeNull();
    expect(webhookSenderOf("payment.paid", { payload: { provider: "stripe", via: "webhook" } })).toBe("stripe");
    expect(webhookSenderOf("payment.paid", { payload: { provider: "manual", via: "approval" } })).toBeNull();
    expect(webhookSenderOf("booking.held", { payload: { source: "telegram" } })).toBeNull();
    expect(webhookSenderOf("inquiry.created", null)).toBeNull();
  });
});

describe("the queues widget", () => {
  const queue = { waiting: 0, delayed: 0, active: 0, failed: 0, oldest_waiting_ms: null };
  const outbox = { unpublished: 0, oldest_unpublished_ms: null };

  it("turns warn at the lag warn threshold and critical at the critical one", () => {
    const at = (ms: number | null) =>
      queuesWidget({ queues: { sla: { ...queue, waiting: 1, oldest_waiting_ms: ms } }, outbox }, t).status;
    expect(at(null)).toBe("ok");
    expect(at(59_999)).toBe("ok");
    expect(at(60_000)).toBe("warn");
    expect(at(600_000)).toBe("critical");
  });

  it("warns of dead letters and of a lagging outbox; a queue that does not answer is critical", () => {
    expect(queuesWidget({ queues: { events: { ...queue, failed: 2 } }, outbox }, t)).toMatchObject({
      status: "warn",
      summary: "2 dead letter(s) in the events queue.",
    });
    expect(
      queuesWidget({ queues: { events: queue }, outbox: { unpublished: 3, oldest_unpublished_ms: 90_000 } }, t).summary,
    ).toBe("The oldest of 3 unpublished event(s) in the outbox has waited 1 min (is the queue's service up?).");
    expect(queuesWidget({ queues: { events: { error: "Connection is closed." } }, outbox }, t)).toMatchObject({
      status: "critical",
      summary: "The events queue does not answer (Connection is closed.).",
    });
  });
});

describe("the availability and SLA widgets", () => {
  it("availability: any mismatched booking is warn", () => {
    expect(availabilityWidget({ mismatched_bookings: 0 }).status).toBe("ok");
    expect(availabilityWidget({ mismatched_bookings: 2 }).status).toBe("warn");
  });

  it("sla: an open breach is warn, critical once the oldest is overdue past the threshold", () => {
    expect(slaWidget({ open_breaches: 0, oldest_overdue_ms: null }, t)).toMatchObject({
      status: "ok",
      summary: "No open inquiry is past its SLA deadline.",
    });
    expect(slaWidget({ open_breaches: 3, oldest_overdue_ms: 59 * 60_000 }, t)).toMatchObject({
      status: "warn",
      summary: "3 open inquiry(ies) past their SLA deadline with no response, the oldest by 59 min.",
    });
    expect(slaWidget({ open_breaches: 1, oldest_overdue_ms: 3600_000 }, t).status).toBe("critical");
  });
});

describe("the top status and durations", () => {
  it("is the worst widget's", () => {
    expect(worstStatus([])).toBe("ok");
    expect(worstStatus(["ok", "warn", "ok"])).toBe("warn");
    expect(worstStatus(["warn", "critical", "ok"])).toBe("critical");
  });

  it("reads durations as a dashboard does", () => {
    expect(readableDuration(45_000)).toBe("45 s");
    expect(readableDuration(12 * 60_000)).toBe("12 min");
    expect(readableDuration(3 * 3600_000)).toBe("3 h");
    expect(readableDuration(3 * 3600_000 + 5 * 60_000)).toBe("3 h 5 min");
  });
});
