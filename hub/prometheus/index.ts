// GET /metrics for Prometheus: one registry per hub (tests run several hubs in one process, so never prom-client's
// global one), the Observer the domains count through, and the gauges read from the queues and the database at
// each scrape.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../../db/client";
import type { JobDriver } from "../core/jobs/driver";
import { QUEUES } from "../core/jobs/queues";
import type { Observer } from "../core/observe";
import { openSlaBreaches } from "../sla";

export interface HubMetrics {
  registry: Registry;
  observer: Observer;
  /** What GET /metrics answers: the text format and its content type. */
  exposition: MetricsExposition;
}

export interface MetricsExposition {
  contentType: string;
  scrape(): Promise<string>;
}

/** Seconds: an intake is a transaction or two, so most land well under a second; a slow database shows in the tail. */
const INTAKE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export function createHubMetrics(sources: { db: Database; jobs: JobDriver; now: () => Date }): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const intake = new Counter({
    name: "hub_intake_total",
    help: "Inquiries taken in, by source and outcome (created, duplicate, refused)",
    labelNames: ["source", "outcome"] as const,
    registers: [registry],
  });
  const intakeSeconds = new Histogram({
    name: "hub_intake_duration_seconds",
    help: "Time the inquiry pipeline took, from the normalised input to the stored inquiry (or refusal)",
    labelNames: ["source"] as const,
    buckets: INTAKE_BUCKETS,
    registers: [registry],
  });
  const rejections = new Counter({
    name: "hub_webhook_rejections_total",
    help: "Webhooks refused for their signature, by the endpoint that refused them",
    labelNames: ["endpoint"] as const,
    registers: [registry],
  });
  const outbound = new Counter({
    name: "hub_outbound_messages_total",
    help: "Tries at sending a message into its chat, by channel and outcome (sent, failed, retry, withheld)",
    labelNames: ["channel", "outcome"] as const,
    registers: [registry],
  });
  const attempts = new Counter({
    name: "hub_payment_attempts_total",
    help: "Payment attempt steps by provider slot and outcome (opened, failed, paid, expired)",
    labelNames: ["provider", "outcome"] as const,
    registers: [registry],
  });

  new Gauge({
    name: "hub_queue_jobs",
    help: "Jobs per queue and state (waiting, delayed, active, failed = dead letters), read at scrape",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, stats } of await queueStats(sources.jobs))
        for (const state of ["waiting", "delayed", "active", "failed"] as const)
          this.set({ queue, state }, stats[state]);
    },
  });
  new Gauge({
    name: "hub_queue_lag_seconds",
    help: "Age of the oldest due job not yet taken, per queue (0 when none waits), read at scrape",
    labelNames: ["queue"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { queue, stats } of await queueStats(sources.jobs))
        this.set({ queue }, (stats.oldestWaitingMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: "hub_sla_breaches_open",
    help: "Open inquiries past their SLA deadline with no first response, read at scrape",
    registers: [registry],
    async collect() {
      this.set((await openSlaBreaches(sources.db, sources.now())).count);
    },
  });

  return {
    registry,
    exposition: { contentType: registry.contentType, scrape: () => registry.metrics() },
    observer: {
      intake(source, outcome, seconds) {
        intake.inc({ source, outcome });
        intakeSeconds.observe({ source }, seconds);
      },
      webhookRejected: (endpoint) => rejections.inc({ endpoint }),
      messageDelivery: (channel, outcome) => outbound.inc({ channel, outcome }),
      paymentAttempt: (provider, outcome) => attempts.inc({ provider, outcome }),
    },
  };
}

/** A queue whose service does not answer is left out of the scrape, not allowed to fail all of it. */
async function queueStats(jobs: JobDriver) {
  const all = await Promise.all(
    QUEUES.map((queue) =>
      jobs.stats(queue).then(
        (stats) => ({ queue, stats }),
        () => undefined,
      ),
    ),
  );
  return all.filter((s) => s !== undefined);
}
