// Moves committed outbox events onto the job queue, each with its event id as job id: at least once, never lost.
import { and, asc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../../../db/client";
import { outboxEvents, processedEvents } from "../../../db/schema";
import { describeError, KEEP_COMPLETED_MS, type JobDriver } from "../jobs/driver";
import { EVENTS_QUEUE } from "../jobs/queues";

export interface OutboxRelayOptions {
  /** Safety net for events committed by other processes; this process wakes the relay itself after its commits. */
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed batch is held before another relay may publish it (its relay is presumed dead). */
  claimMs?: number;
  /** How soon an event whose enqueue failed (the queue is down) is tried again. */
  retryMs?: number;
  /** A published event still unprocessed this long after publishing has its job looked up; a lost job is replaced. */
  lostAfterMs?: number;
  /** How often to look for such events. */
  recoverEveryMs?: number;
  /** Processed events are deleted from the outbox this long after processing (their processed-event markers stay). */
  keepProcessedMs?: number;
  /** How often old processed events and completed jobs are deleted. */
  pruneEveryMs?: number;
  /** How long a processed-event marker outlives its event (default 30 days). */
  keepMarkersMs?: number;
}

/** What an event's job carries: the event itself (see HubEvent). */
const jobData = (event: typeof outboxEvents.$inferSelect) => ({
  id: event.id,
  type: event.type,
  payload: event.payload,
  created_at: event.createdAt.toISOString(),
});

export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running = false;
  private pass?: Promise<unknown>;
  private again = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly claimMs: number;
  private readonly retryMs: number;
  private readonly lostAfterMs: number;
  private readonly recoverEveryMs: number;
  private readonly keepProcessedMs: number;
  private readonly pruneEveryMs: number;
  private readonly keepMarkersMs: number;
  private recoverTimer?: NodeJS.Timeout;
  private recovering?: Promise<unknown>;
  private pruneTimer?: NodeJS.Timeout;
  private pruning?: Promise<unknown>;
  private claim?: ReturnType<OutboxRelay["prepareClaim"]>;

  constructor(
    private readonly db: Database,
    private readonly jobs: JobDriver,
    private readonly logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = options.batchSize ?? 100;
    this.claimMs = options.claimMs ?? 30_000;
    this.retryMs = options.retryMs ?? 2_000;
    this.lostAfterMs = options.lostAfterMs ?? 10 * 60_000;
    this.recoverEveryMs = options.recoverEveryMs ?? 60_000;
    this.keepProcessedMs = options.keepProcessedMs ?? 7 * 24 * 3600_000;
    this.pruneEveryMs = options.pruneEveryMs ?? 3600_000;
    this.keepMarkersMs = options.keepMarkersMs ?? 30 * 24 * 3600_000;
  }

  start(): void {
    this.running = true;
    this.wake();
    this.recoverTimer = setInterval(() => {
      this.recovering ??= this.recoverLost()
        .catch((error) => this.logger.error({ err: error }, "looking for lost events failed; tried again later"))
        .finally(() => (this.recovering = undefined));
    }, this.recoverEveryMs);
    this.pruneTimer = setInterval(() => {
      this.pruning ??= this.prune()
        .catch((error) =>
          this.logger.error({ err: error }, "pruning the outbox and the job queue failed; tried again later"),
        )
        .finally(() => (this.pruning = undefined));
    }, this.pruneEveryMs);
  }

  /** Publish soon: called after a transaction that wrote events commits. */
  wake(): void {
    if (!this.running) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    clearInterval(this.recoverTimer);
    clearInterval(this.pruneTimer);
    await Promise.all([this.pass, this.recovering, this.pruning]);
  }

  /**
   * Keeps the outbox, the markers and the job queue from growing without end. Deletes:
   * - events processed more than `keepProcessedMs` ago (their markers stay a while, so a late duplicate job still
   *   does nothing);
   * - markers older than `keepMarkersMs` whose event is gone: nothing can run that event again (the relay publishes
   *   from the outbox, and its job was completed and pruned long before). A marker whose event is still in the
   *   outbox (one subscriber done, another a dead letter) stays however old, so a replay skips the finished one;
   * - completed jobs older than KEEP_COMPLETED_MS.
   * Unprocessed events and dead letters are never deleted.
   */
  async prune(): Promise<{ events: number; markers: number; jobs: number }> {
    const old = this.db
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(lt(outboxEvents.processedAt, sql`now() - make_interval(secs => ${this.keepProcessedMs / 1000})`))
      .limit(10_000);
    const events = (
      await this.db.delete(outboxEvents).where(inArray(outboxEvents.id, old)).returning({ id: outboxEvents.id })
    ).length;
    const markers = (
      await this.db
        .delete(processedEvents)
        .where(
          inArray(
            processedEvents.eventId,
            this.db
              .select({ eventId: processedEvents.eventId })
              .from(processedEvents)
              .where(
                and(
                  lt(processedEvents.processedAt, sql`now() - make_interval(secs => ${this.keepMarkersMs / 1000})`),
                  sql`not exists (select 1 from ${outboxEvents} where ${outboxEvents.id} = ${processedEvents.eventId})`,
                ),
              )
              .limit(10_000),
          ),
        )
        .returning({ eventId: processedEvents.eventId })
    ).length;
    const jobs = await this.jobs.pruneCompleted(KEEP_COMPLETED_MS);
    if (events + markers + jobs > 0)
      this.logger.info({ events, markers, jobs }, "pruned processed events, their markers and completed jobs");
    return { events, markers, jobs };
  }

  /**
   * Publishes again the events whose job the queue no longer has although no subscriber run finished: jobs lost
   * with the queue (Redis restarted without persistence, or evicted keys). The processed-event markers keep every
   * effect single. An event whose job still exists (waiting, running, or a dead letter for an operator) is looked
   * at again only after another `lostAfterMs`. Returns how many it published again.
   */
  async recoverLost(): Promise<number> {
    const stale = await this.db
      .select()
      .from(outboxEvents)
      .where(
        and(
          isNull(outboxEvents.processedAt),
          lt(outboxEvents.publishedAt, sql`now() - make_interval(secs => ${this.lostAfterMs / 1000})`),
        ),
      )
      .orderBy(asc(outboxEvents.publishedAt))
      .limit(this.batchSize);
    let republished = 0;
    for (const event of stale) {
      const state = await this.jobs.state(EVENTS_QUEUE, event.id);
      const lost = state === undefined;
      if (lost)
        await this.jobs.enqueue(
          EVENTS_QUEUE,
          event.type,
          { ...jobData(event), republished: true },
          { jobId: event.id },
        );
      republished += lost ? 1 : 0;
      // publishedAt = now() also puts the event at the back of the line for the next look.
      await this.db
        .update(outboxEvents)
        .set({
          publishedAt: sql`now()`,
          ...(lost ? { publishAttempts: sql`${outboxEvents.publishAttempts} + 1` } : {}),
          // Its job finished but the mark did not land (or it ran before processed_at existed): it is processed.
          ...(state === "completed" ? { processedAt: sql`now()` } : {}),
        })
        .where(eq(outboxEvents.id, event.id));
    }
    if (republished > 0) this.logger.warn({ republished }, "published again events whose jobs the queue had lost");
    return republished;
  }

  /** Publishes every event that is due now; returns how many it published. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      if (published === 0) return total;
      total += published;
    }
  }

  private async loop(): Promise<void> {
    this.pass = this.drain().catch((error) =>
      this.logger.error({ err: error }, "outbox relay pass failed; events stay in the outbox and are retried"),
    );
    await this.pass;
    this.pass = undefined;
    if (!this.running) return;
    const delay = this.again ? 0 : this.pollMs;
    this.again = false;
    this.timer = setTimeout(() => void this.loop(), delay);
  }

  private async publishBatch(): Promise<number> {
    const batch = await this.claimBatch();
    if (batch.length === 0) return 0;
    const published: string[] = [];
    // Events claimed for the first time go in one round trip. Should that fail, they are all tried again soon, each
    // on its own (publish_attempts > 1), so that one bad event holds up no other; a queue that is down costs one
    // wait for the whole batch rather than one per event.
    const first = batch.filter((event) => event.publishAttempts <= 1);
    if (first.length > 0) {
      try {
        await this.jobs.enqueueMany(
          EVENTS_QUEUE,
          first.map((event) => ({ name: event.type, data: jobData(event), jobId: event.id })),
        );
        published.push(...first.map((event) => event.id));
      } catch (error) {
        this.logger.warn({ err: error, events: first.length }, "could not publish a batch of outbox events");
        await this.putOff(
          first.map((event) => event.id),
          error,
        );
      }
    }
    await this.publishOneByOne(
      batch.filter((event) => event.publishAttempts > 1),
      published,
    );
    if (published.length > 0) {
      await this.db
        .update(outboxEvents)
        .set({ publishedAt: sql`now()`, claimedUntil: null, lastError: null })
        .where(inArray(outboxEvents.id, published));
    }
    return published.length;
  }

  private async publishOneByOne(batch: (typeof outboxEvents.$inferSelect)[], published: string[]): Promise<void> {
    for (const event of batch) {
      try {
        await this.jobs.enqueue(EVENTS_QUEUE, event.type, jobData(event), { jobId: event.id });
        published.push(event.id);
      } catch (error) {
        // Stays in the outbox, claimed for a short while: tried again soon, without hammering a queue that is down.
        this.logger.warn({ err: error, eventId: event.id, type: event.type }, "could not publish outbox event");
        await this.putOff([event.id], error);
      }
    }
  }

  /** Keeps events in the outbox with the reason, claimed for a short while: tried again soon, without hammering. */
  private async putOff(ids: string[], error: unknown): Promise<void> {
    await this.db
      .update(outboxEvents)
      .set({
        lastError: describeError(error),
        claimedUntil: sql`now() + make_interval(secs => ${this.retryMs / 1000})`,
      })
      .where(inArray(outboxEvents.id, ids));
  }

  /** Claims unpublished events; SKIP LOCKED keeps concurrent relays in several processes off each other's rows. */
  private claimBatch() {
    this.claim ??= this.prepareClaim();
    return this.claim.execute();
  }

  /** Built once: the relay claims after every commit that wrote events, and drizzle would build it every time. */
  private prepareClaim() {
    const due = this.db
      .select({ id: outboxEvents.id })
      .from(outboxEvents)
      .where(
        and(
          isNull(outboxEvents.publishedAt),
          or(isNull(outboxEvents.claimedUntil), lt(outboxEvents.claimedUntil, sql`now()`)),
        ),
      )
      .orderBy(asc(outboxEvents.createdAt))
      .limit(this.batchSize)
      .for("update", { skipLocked: true });
    return this.db
      .update(outboxEvents)
      .set({
        claimedUntil: sql`now() + make_interval(secs => ${this.claimMs / 1000})`,
        publishAttempts: sql`${outboxEvents.publishAttempts} + 1`,
      })
      .where(inArray(outboxEvents.id, due))
      .returning()
      .prepare("outbox_claim");
  }
}
