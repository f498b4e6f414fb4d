// The watchdog (rule 6, "no webhook within X minutes"): a delayed job per online attempt, armed when its page opens
// and disarmed by its webhook. When it fires it asks the provider first: a paid attempt is confirmed, not switched.
import { and, eq, inArray, ne, notInArray } from "drizzle-orm";
import { lockBooking } from "../../hub/bookings";
import { payments } from "../../db/schema";
import { inTransaction } from "../../hub/core/context";
import type { JobDriver, JobHandler } from "../../hub/core/jobs/driver";
import { PAYMENTS_QUEUE } from "../../hub/core/jobs/queues";
import { defineTimer } from "../../hub/core/jobs/timer";
import { appendEvent } from "../../hub/core/events/outbox";
import { adapterFor, slotsWithout } from "../registry";
import type { RemoteStatus } from "../provider";
import { eventPayload, isLive, lockPayment } from "./attempts";
import { callProvider } from "./calls";
import type { PaymentDeps } from "./deps";
import { settlePaid } from "./settle";

export const WATCHDOG_JOB = "payment.watchdog";
export const watchdogTimer = defineTimer({
  queue: PAYMENTS_QUEUE,
  job: WATCHDOG_JOB,
  idPrefix: "payment-watchdog",
  keyField: "payment_id",
});
export const watchdogJobId = watchdogTimer.jobId;

/** An attempt's watchdog is due PAYMENT_WEBHOOK_TIMEOUT_MINUTES after the attempt was created. */
export const watchdogDueAt = (deps: Pick<PaymentDeps, "webhookTimeoutMs">, attempt: { createdAt: Date }) =>
  new Date(attempt.createdAt.getTime() + deps.webhookTimeoutMs);

export const armWatchdog = (jobs: JobDriver, paymentId: string, dueAt: Date, now: Date) =>
  watchdogTimer.arm(jobs, paymentId, dueAt, now);

export const disarmWatchdog = (jobs: JobDriver, paymentId: string) => watchdogTimer.disarm(jobs, paymentId);

export function watchdogHandler(deps: PaymentDeps): JobHandler {
  return async (job) => {
    const paymentId = watchdogTimer.keyOf(job);
    const [row] = await deps.db.select().from(payments).where(eq(payments.id, paymentId));
    const adapter = row ? adapterFor(deps.providers, row.provider) : null;
    // No webhook is awaited from an adapter that sends none (a bank transfer); one not configured any more is failed.
    if (!row || !isLive(row) || adapter?.capabilities.webhooks === false) return;
    const minutes = Math.round((deps.webhookTimeoutMs / 60_000) * 100) / 100;
    let remote: RemoteStatus | "unknown" = "unknown";
    if (adapter && row.providerPaymentId) {
      remote = await callProvider(deps, row.provider, "status", () => adapter.status(row.providerPaymentId!)).catch(
        () => "unknown" as const,
      );
    }
    if (remote === "paid") {
      await inTransaction(deps, (tx) => settlePaid(tx, deps, row.id, "status", null));
      return;
    }
    await inTransaction(deps, async (tx) => {
      await lockBooking(tx, row.bookingId);
      const attempt = await lockPayment(tx, row.id);
      if (!isLive(attempt)) return false;
      const reason = `no webhook from ${attempt.providerName} within ${minutes} min (it says ${remote})`;
      await appendEvent(tx, {
        type: "payment.attempt_failed",
        aggregateType: "payment",
        aggregateId: attempt.id,
        payload: { ...eventPayload(attempt), reason },
      });
      return true;
    });
  };
}

/**
 * The watchdog of every live online attempt, due at its created_at + PAYMENT_WEBHOOK_TIMEOUT_MINUTES: run at start,
 * after the queue lost its jobs and on every sweep (hub/core/jobs/timer-keeper.ts), so a lost queue loses no watchdog.
 */
export async function rearmWatchdogs(deps: PaymentDeps): Promise<number> {
  const live = await deps.db
    .select({ id: payments.id, createdAt: payments.createdAt })
    .from(payments)
    .where(
      and(
        inArray(payments.status, ["creating", "open"]),
        notInArray(payments.provider, slotsWithout(deps.providers, "webhooks")),
        ne(payments.type, "refund"),
      ),
    );
  return watchdogTimer.rearm(
    deps.jobs,
    live.map((row) => ({ key: row.id, dueAt: watchdogDueAt(deps, row) })),
    deps.now(),
  );
}
