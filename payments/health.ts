// Each payment slot's health for GET /health: configured or not, the last 24 h of attempts and API calls, the time
// since its last verified webhook, the bookings it holds after a failover, refused webhook signatures, and signed
// webhooks that could not be processed.
import { and, eq, gte, inArray, ne, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import {
  LIVE_PAYMENT_STATUSES,
  PAYMENT_PROVIDERS,
  paymentProviderCalls,
  payments,
  paymentWebhookEvents,
  type PaymentProvider,
} from "../db/schema";
import type { Payments } from "./index";
import { adapterFor, adapterName } from "./registry";

export interface ProviderHealth {
  configured: boolean;
  name: string;
  /**
   * Paid among the attempts of the last 24 h that ended here (paid, refunded, failed, expired, closed for a failover);
   * null with none.
   */
  successRate: number | null;
  attempts24h: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Null when no verified webhook has come (manual has none). */
  sinceLastWebhookMs: number | null;
  /** Live attempts this slot holds because an earlier one failed. */
  openFailovers: number;
  /** Webhooks with a bad signature since this process started. */
  rejectedSignatures: number;
  /** Signed webhooks not processed (unreadable, or the provider's API failing) since this process started. */
  webhookFailures: number;
}

const DAY_MS = 24 * 3600_000;

export async function paymentHealth(
  db: Database,
  payments_: Payments,
  now: Date,
): Promise<Record<PaymentProvider, ProviderHealth>> {
  const since = new Date(now.getTime() - DAY_MS);
  const [attempts, calls, webhooks, failovers] = await Promise.all([
    db
      .select({
        provider: payments.provider,
        total: sql<number>`count(*)`.mapWith(Number),
        // An attempt closed for a failover failed; one superseded by another attempt's success did not end here.
        ended: sql<number>`count(*) filter (where ${payments.status} in ('paid', 'refunded', 'failed', 'expired')
          or (${payments.status} = 'cancelled' and coalesce(${payments.failureReason}, '') not like 'superseded%'))`.mapWith(
          Number,
        ),
        paid: sql<number>`count(*) filter (where ${payments.status} in ('paid', 'refunded'))`.mapWith(Number),
      })
      .from(payments)
      .where(and(ne(payments.type, "refund"), gte(payments.createdAt, since)))
      .groupBy(payments.provider),
    db
      .select({
        provider: paymentProviderCalls.provider,
        p50: sql<number | null>`percentile_cont(0.5) within group (order by ${paymentProviderCalls.durationMs})`,
        p95: sql<number | null>`percentile_cont(0.95) within group (order by ${paymentProviderCalls.durationMs})`,
      })
      .from(paymentProviderCalls)
      .where(gte(paymentProviderCalls.createdAt, since))
      .groupBy(paymentProviderCalls.provider),
    db
      .select({
        provider: paymentWebhookEvents.provider,
        last: sql<string | null>`max(${paymentWebhookEvents.receivedAt})`,
      })
      .from(paymentWebhookEvents)
      .groupBy(paymentWebhookEvents.provider),
    db
      .select({ provider: payments.provider, open: sql<number>`count(*)`.mapWith(Number) })
      .from(payments)
      .where(
        and(
          eq(payments.isFallback, true),
          ne(payments.type, "refund"),
          inArray(payments.status, [...LIVE_PAYMENT_STATUSES]),
        ),
      )
      .groupBy(payments.provider),
  ]);
  const providers = payments_.deps.providers;
  const round = (v: number | string | null | undefined) =>
    v === null || v === undefined ? null : Math.round(Number(v));
  return Object.fromEntries(
    PAYMENT_PROVIDERS.map((slot) => {
      const a = attempts.find((r) => r.provider === slot);
      const c = calls.find((r) => r.provider === slot);
      const w = webhooks.find((r) => r.provider === slot);
      return [
        slot,
        {
          configured: adapterFor(providers, slot) !== null,
          name: adapterName(providers, slot),
          successRate: a && a.ended > 0 ? Math.round((a.paid / a.ended) * 1000) / 1000 : null,
          attempts24h: a?.total ?? 0,
          latencyP50Ms: round(c?.p50),
          latencyP95Ms: round(c?.p95),
          sinceLastWebhookMs: w?.last ? Math.max(0, now.getTime() - new Date(w.last).getTime()) : null,
          openFailovers: failovers.find((r) => r.provider === slot)?.open ?? 0,
          rejectedSignatures: slot === "manual" ? 0 : payments_.rejectedSignatures[slot],
          webhookFailures: slot === "manual" ? 0 : payments_.webhookFailures[slot],
        } satisfies ProviderHealth,
      ];
    }),
  ) as Record<PaymentProvider, ProviderHealth>;
}

/** What a person should look at now. */
export function paymentWarnings(health: Record<PaymentProvider, ProviderHealth>): string[] {
  const warnings: string[] = [];
  for (const [slot, h] of Object.entries(health)) {
    if (h.successRate !== null && h.attempts24h >= 3 && h.successRate < 0.5)
      warnings.push(
        `Only ${Math.round(h.successRate * 100)}% of ${slot} (${h.name}) payment attempts in the last 24 h were paid.`,
      );
    if (h.rejectedSignatures > 0)
      warnings.push(
        `${h.rejectedSignatures} ${slot} webhook(s) with a bad signature since start: a wrong secret, or someone forging them.`,
      );
    if (h.webhookFailures > 0)
      warnings.push(
        `${h.webhookFailures} ${slot} webhook(s) signed but not processed since start: the log says why ("payment webhook not processed").`,
      );
  }
  return warnings;
}
