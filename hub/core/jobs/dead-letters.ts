// Dead letters across the queues, and putting one back: what GET /jobs/failed, POST /jobs/{id}/retry and the
// console's Health page all call, so that they list and retry alike.
import type { Database } from "../../../db/client";
import { recordAudit } from "../audit/record";
import { HubError } from "../errors";
import type { FailedJob, JobDriver } from "./driver";
import { QUEUES } from "./queues";

export type QueueName = (typeof QUEUES)[number];

/** The most recent first, across `queue` or every queue, at most `limit`. */
export async function listDeadLetters(jobs: JobDriver, queue: QueueName | undefined, limit: number) {
  const perQueue = await Promise.all((queue ? [queue] : QUEUES).map((q) => jobs.listFailed(q, limit)));
  return perQueue
    .flat()
    .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
    .slice(0, limit);
}

/**
 * Puts a dead letter back with a fresh set of attempts, audited as the actor's. HubError `not_found` when the queue
 * holds no such dead letter.
 */
export async function retryDeadLetter(
  ctx: { db: Database; jobs: JobDriver },
  letter: { queue: QueueName; id: string; actorId: string },
): Promise<FailedJob> {
  const { queue, id } = letter;
  // One transaction for the requeue and its audit entry: with the in-process driver they commit together; with
  // BullMQ the requeue is in Redis, so a failing audit write cannot undo it (the caller gets a 500 and the log).
  return ctx.db.transaction(async (tx) => {
    const before = await ctx.jobs.retryFailed(queue, id, tx);
    if (!before) throw new HubError("not_found", `No dead letter "${id}" in queue "${queue}".`);
    await recordAudit(tx, {
      actorId: letter.actorId,
      action: "job.retried",
      entityType: "job",
      entityId: `${queue}/${id}`,
      before: {
        attempts_made: before.attemptsMade,
        last_error: before.lastError,
        failed_at: before.failedAt?.toISOString() ?? null,
      },
      after: { status: "waiting" },
    });
    return before;
  });
}
