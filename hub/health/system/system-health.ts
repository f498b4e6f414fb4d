// GET /health/system: the six widgets of the System Health dashboard, read from the same sources as GET /health,
// plus refused webhooks, webhook-born dead letters and open SLA breaches. The top status is the worst widget's.
import type { ChannelRegistry } from "../../../channels/adapter";
import type { Payments } from "../../../payments";
import type { Database } from "../../../db/client";
import type { JobDriver } from "../../core/jobs/driver";
import { EVENTS_QUEUE } from "../../core/jobs/queues";
import { webhookRejectionsSince } from "../../core/webhook-rejections";
import { openSlaBreaches } from "../../sla";
import { healthView, providerFigures } from "../view";
import { availabilityWidget } from "./availability-widget";
import { paymentWidget } from "./payment-widget";
import { queuesWidget } from "./queues-widget";
import { slaWidget } from "./sla-widget";
import type { HealthThresholds } from "./thresholds";
import { webhookSenderOf } from "./webhook-born";
import { webhooksWidget } from "./webhooks-widget";
import { type Widget, type WidgetStatus, worstStatus } from "./widget";

export const WIDGETS = ["stripe", "secondary", "webhooks", "queues", "availability", "sla"] as const;
export type WidgetName = (typeof WIDGETS)[number];

export interface SystemHealth {
  status: WidgetStatus;
  checkedAt: Date;
  widgets: Record<WidgetName, Widget>;
}

export interface SystemHealthDeps {
  db: Database;
  jobs: JobDriver;
  channels: ChannelRegistry;
  payments: Payments;
  now: () => Date;
}

const DAY_MS = 24 * 3600_000;
/** Enough dead letters to count: past this many, the widget is warn anyway and the list is the place to look. */
const DEAD_LETTERS_READ = 500;

export async function systemHealth(deps: SystemHealthDeps, thresholds: HealthThresholds): Promise<SystemHealth> {
  const now = deps.now();
  const [view, rejections, deadLetters, breaches] = await Promise.all([
    healthView(deps.db, deps.jobs, deps.channels, deps.payments, now),
    webhookRejectionsSince(deps.db, new Date(now.getTime() - DAY_MS)),
    deps.jobs.listFailed(EVENTS_QUEUE, DEAD_LETTERS_READ).catch(() => []),
    openSlaBreaches(deps.db, now),
  ]);

  const rejected: Record<string, number> = {};
  for (const r of rejections) rejected[r.sender] = (rejected[r.sender] ?? 0) + r.count;
  const failures: Record<string, number> = {};
  for (const job of deadLetters) {
    const sender = webhookSenderOf(job.name, job.data);
    if (sender) failures[sender] = (failures[sender] ?? 0) + 1;
  }
  const payment = (slot: "stripe" | "secondary") =>
    paymentWidget(slot, providerFigures(view.payments[slot]), thresholds);
  const widgets: Record<WidgetName, Widget> = {
    stripe: payment("stripe"),
    secondary: payment("secondary"),
    webhooks: webhooksWidget({ rejected_signatures_24h: rejected, processing_failures: failures }, thresholds),
    queues: queuesWidget(
      {
        queues: Object.fromEntries(
          Object.entries(view.jobs.queues).map(([queue, s]) => [
            queue,
            "error" in s
              ? s
              : {
                  waiting: s.waiting,
                  delayed: s.delayed,
                  active: s.active,
                  failed: s.failed,
                  oldest_waiting_ms: s.oldestWaitingMs,
                },
          ]),
        ),
        outbox: { unpublished: view.outbox.unpublished, oldest_unpublished_ms: view.outbox.oldestUnpublishedMs },
      },
      thresholds,
    ),
    availability: availabilityWidget({ mismatched_bookings: view.availabilityMismatches }),
    sla: slaWidget(
      {
        open_breaches: breaches.count,
        oldest_overdue_ms: breaches.oldestDeadlineAt ? now.getTime() - breaches.oldestDeadlineAt.getTime() : null,
      },
      thresholds,
    ),
  };
  return { status: worstStatus(Object.values(widgets).map((w) => w.status)), checkedAt: now, widgets };
}
