// The health view: what an operator on call looks at. Readiness (/health/ready) stays a yes/no for load balancers.
import { isNull, sql } from "drizzle-orm";
import { type Database, ping } from "../../db/client";
import {
  INQUIRY_SOURCES,
  outboxEvents,
  type InquirySource,
  PAYMENT_PROVIDERS,
  type PaymentProvider,
} from "../../db/schema";
import type { JobDriver, QueueStats } from "../core/jobs/driver";
import { QUEUES } from "../core/jobs/queues";
import { availabilityMismatches } from "../bookings";
import type { ChannelRegistry, ChannelStatus } from "../../channels/adapter";
import { type Payments, paymentHealth, paymentWarnings, type ProviderHealth } from "../../payments";

/** Beyond these, something is stuck and a person should look. */
// What GET /health's document lists, re-exported so its route needs nothing from the schema.
export { INQUIRY_SOURCES, PAYMENT_PROVIDERS };

/** Readiness: the database answers a trivial query. */
export const databaseAnswers = ping;

export const HEALTH_LIMITS = {
  /** An event not yet on the queue this long: the queue is down or no relay runs. */
  outboxLagMs: 60_000,
  /** A due job not yet taken this long: no worker runs, or workers cannot keep up. */
  queueLagMs: 60_000,
};

export interface HealthView {
  status: "ok" | "degraded";
  warnings: string[];
  jobs: { driver: JobDriver["kind"]; queues: Record<string, QueueStats | { error: string }> };
  channels: Record<InquirySource, ChannelStatus>;
  outbox: { unpublished: number; oldestUnpublishedMs: number | null; lastError: string | null };
  /** Active bookings their resource can no longer take (GET /availability/mismatches lists them). */
  availabilityMismatches: number;
  payments: Record<PaymentProvider, ProviderHealth>;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

export async function healthView(
  db: Database,
  jobs: JobDriver,
  channels: ChannelRegistry,
  payments: Payments,
  now: Date,
): Promise<HealthView> {
  const [providers, driverWarnings, mismatches, outbox, ...stats] = await Promise.all([
    paymentHealth(db, payments, now),
    jobs.warnings(),
    availabilityMismatches(db, now).then((found) => new Set(found.map((m) => m.bookingId)).size),
    db
      .select({
        unpublished: sql<number>`count(*)`.mapWith(Number),
        oldestUnpublishedMs: sql<
          number | null
        >`floor(extract(epoch from now() - min(${outboxEvents.createdAt})) * 1000)`,
        lastError: sql<string | null>`(array_agg(${outboxEvents.lastError} order by ${outboxEvents.createdAt} desc)
          filter (where ${outboxEvents.lastError} is not null))[1]`,
      })
      .from(outboxEvents)
      .where(isNull(outboxEvents.publishedAt))
      .then((rows) => rows[0]!),
    // A queue whose service does not answer is reported as such; the rest of the view still comes back.
    ...QUEUES.map((queue) =>
      jobs.stats(queue).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) })),
    ),
  ]);
  const channelStatus = Object.fromEntries(
    Object.entries(channels).map(([source, channel]) => [source, channel.status()]),
  ) as Record<InquirySource, ChannelStatus>;
  const warnings = [
    ...driverWarnings,
    ...Object.values(channelStatus).flatMap((s) => s.warnings),
    ...paymentWarnings(providers),
  ];
  const queues: HealthView["jobs"]["queues"] = {};
  QUEUES.forEach((queue, i) => {
    const s = stats[i]!;
    queues[queue] = s;
    if ("error" in s) warnings.push(`The ${queue} queue does not answer: ${s.error}`);
    else {
      if (s.failed > 0) warnings.push(`${s.failed} dead letter(s) in the ${queue} queue: see GET /jobs/failed.`);
      if (s.oldestWaitingMs !== null && s.oldestWaitingMs > HEALTH_LIMITS.queueLagMs) {
        warnings.push(`The ${queue} queue lags ${seconds(s.oldestWaitingMs)}: is a worker running?`);
      }
    }
  });
  const oldest = outbox.oldestUnpublishedMs === null ? null : Number(outbox.oldestUnpublishedMs);
  if (oldest !== null && oldest > HEALTH_LIMITS.outboxLagMs) {
    warnings.push(
      `${outbox.unpublished} event(s) waiting in the outbox, the oldest for ${seconds(oldest)}` +
        (outbox.lastError ? `; last error: ${outbox.lastError}` : "."),
    );
  }
  if (mismatches > 0)
    warnings.push(
      `${mismatches} active booking(s) their resource can no longer take: see GET /availability/mismatches.`,
    );
  return {
    status: warnings.length === 0 ? "ok" : "degraded",
    warnings,
    jobs: { driver: jobs.kind, queues },
    channels: channelStatus,
    outbox: { unpublished: outbox.unpublished, oldestUnpublishedMs: oldest, lastError: outbox.lastError },
    availabilityMismatches: mismatches,
    payments: providers,
  };
}

/** A provider slot's health under the API's names: what GET /health answers and the payment widgets' figures. */
export function providerFigures(h: ProviderHealth) {
  return {
    configured: h.configured,
    name: h.name,
    success_rate: h.successRate,
    attempts_24h: h.attempts24h,
    latency_p50_ms: h.latencyP50Ms,
    latency_p95_ms: h.latencyP95Ms,
    since_last_webhook_ms: h.sinceLastWebhookMs,
    open_failovers: h.openFailovers,
  };
}
