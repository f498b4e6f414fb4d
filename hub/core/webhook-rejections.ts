// Webhooks refused for their signature: each one kept (GET /health/system counts the last 24 h on every process) and
// counted for Prometheus. Every place that refuses a signature calls rejectWebhook, payments and channels alike.
import { gte, lt, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { webhookRejections } from "../../db/schema";
import type { HubContext } from "./context";

/** Kept this long: the health view looks back 24 h, the rest is for a person reading the table after a weekend. */
export const KEEP_WEBHOOK_REJECTIONS_MS = 3 * 24 * 3600_000;

export interface WebhookRejection {
  /** The path that refused it. */
  endpoint: string;
  /** The channel (telegram, whatsapp, partner) or payment slot (stripe, secondary) it claimed to come from. */
  sender: string;
  reason: string;
}

/**
 * Records a refused webhook. Never throws: the sender gets its 401 or 400 whether or not the record could be written
 * (a forger must not learn anything from a slow or failing database).
 */
export async function rejectWebhook(
  ctx: Pick<HubContext, "db" | "now" | "observe" | "logger">,
  rejection: WebhookRejection,
): Promise<void> {
  ctx.observe.webhookRejected(rejection.endpoint);
  try {
    await ctx.db.insert(webhookRejections).values({ ...rejection, rejectedAt: ctx.now() });
    // Pruned by whoever writes: the table only grows when webhooks are refused, so that is when it needs trimming.
    await pruneWebhookRejections(ctx.db, new Date(ctx.now().getTime() - KEEP_WEBHOOK_REJECTIONS_MS));
  } catch (error) {
    ctx.logger.warn({ err: error, endpoint: rejection.endpoint }, "could not record a refused webhook");
  }
}

export async function pruneWebhookRejections(db: Executor, before: Date): Promise<number> {
  const gone = await db
    .delete(webhookRejections)
    .where(lt(webhookRejections.rejectedAt, before))
    .returning({ id: webhookRejections.id });
  return gone.length;
}

/** Refused webhooks since `since`, per sender and endpoint. */
export async function webhookRejectionsSince(
  db: Executor,
  since: Date,
): Promise<{ sender: string; endpoint: string; count: number; last: Date }[]> {
  const rows = await db
    .select({
      sender: webhookRejections.sender,
      endpoint: webhookRejections.endpoint,
      count: sql<number>`count(*)`.mapWith(Number),
      last: sql<string>`max(${webhookRejections.rejectedAt})`,
    })
    .from(webhookRejections)
    .where(gte(webhookRejections.rejectedAt, since))
    .groupBy(webhookRejections.sender, webhookRejections.endpoint);
  return rows.map((r) => ({ ...r, last: new Date(r.last) }));
}
