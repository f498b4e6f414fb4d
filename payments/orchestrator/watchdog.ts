// The watchdog (rule 6, "no webhook within X minutes"): a delayed job per online attempt, armed when its page opens
// and disarmed by its webhook. When it fires it asks the provider first: a paid attempt is confirmed, not switched.
import { and, eq, inArray, ne } from "drizzle-orm";
import { lockBooking } from "../../hub/bookings/lifecycle";
import { payments } from "../../db/schema";
import type { JobDriver, JobHandler } from "../../hub/jobs/driver";
import { PAYMENTS_QUEUE } from "../../hub/jobs/queues";
import { appendEvent } from "../../hub/events/outbox";
import { adapterFor } from "../registry";
import type { RemoteStatus } from "../provider";
import { eventPayload, isLive, lockPayment } from "./attempts";
import { callProvider } from "./calls";
import type { PaymentDeps } from "./deps";
import { settlePaid } from "./settle";

export const WATCHDOG_JOB = "payment.watchdog";
export const watchdogJobId = (paymentId: string) => `payment-watchdog-${paymentId}`;

export const armWatchdog = (jobs: JobDriver, paymentId: string, delayMs: number) =>
  jobs.enqueue(
    PAYMENTS_QUEUE,
    WATCHDOG_JOB,
    { payment_id: paymentId },
    { jobId: watchdogJobId(paymentId), delayMs: Math.max(0, delayMs) },
  );

export const disarmWatchdog = (jobs: JobDriver, paymentId: string) =>
  jobs.cancel(PAYMENTS_QUEUE, watchdogJobId(paymentId));

export function watchdogHandler(deps: PaymentDeps): JobHandler {
  return async (job) => {
    const paymentId = (job.data as { payment_id: string }).payment_id;
    const [row] = await deps.db.select().from(payments).where(eq(payments.id, paymentId));
    if (!row || !isLive(row) || row.provider === "manual") return;
    const minutes = Math.round((deps.webhookTimeoutMs / 60_000) * 100) / 100;
    let remote: RemoteStatus | "unknown" = "unknown";
    const adapter = adapterFor(deps.providers, row.provider);
    if (adapter && row.providerPaymentId) {
      remote = await callProvider(deps, row.provider, "status", () => adapter.status(row.providerPaymentId!)).catch(
        () => "unknown" as const,
      );
    }
    if (remote === "paid") {
      await deps.db.transaction((tx) => settlePaid(tx, deps, row.id, "status", null));
      deps.afterCommit();
      return;
    }
    const wrote = await deps.db.transaction(async (tx) => {
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
    if (wrote) deps.afterCommit();
  };
}

/**
 * The watchdog of every live online attempt, due at its created_at + PAYMENT_WEBHOOK_TIMEOUT_MINUTES: run at start,
 * after the queue lost its jobs and on every sweep (hub/jobs/timer-keeper.ts), so a lost queue loses no watchdog.
 */
export async function rearmWatchdogs(deps: PaymentDeps): Promise<number> {
  const live = await deps.db
    .select({ id: payments.id, createdAt: payments.createdAt })
    .from(payments)
    .where(
      and(inArray(payments.status, ["creating", "open"]), ne(payments.provider, "manual"), ne(payments.type, "refund")),
    );
  let armed = 0;
  for (const row of live) {
    const result = await armWatchdog(
      deps.jobs,
      row.id,
      row.createdAt.getTime() + deps.webhookTimeoutMs - deps.now().getTime(),
    );
    if (result.created) armed++;
  }
  return armed;
}
