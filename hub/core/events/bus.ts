// Subscribers to hub events. Each runs in its own transaction with a processed-event marker, so its effect happens
// once.
import type { Logger } from "pino";
import type { Database, Executor } from "../../../db/client";
import { and, eq, isNull, sql } from "drizzle-orm";
import { outboxEvents, processedEvents } from "../../../db/schema";
import { inTransaction } from "../context";
import { HopelessJobError, type Job, type JobDriver } from "../jobs/driver";
import { EVENTS_QUEUE } from "../jobs/queues";
import type { HubEvent, HubEventType } from "./types";

export interface Subscriber<T extends HubEventType = HubEventType, R = undefined> {
  /** Stable name: it keys the processed-event marker, so renaming a subscriber makes it see old events again. */
  name: string;
  type: T;
  /**
   * Whether the event concerns this subscriber at all (a chat reply for a chat lead only). One that does not gets no
   * transaction and no marker: the cheap check keeps every inquiry from paying for every subscriber.
   */
  wants?(event: HubEvent<T>): boolean;
  /**
   * A call to the world outside the database (a send to a chat, a POST to a partner). It runs before the
   * subscriber's transaction, with no connection held: a slow receiver must not hold a pooled connection, nor the
   * embedded database's only one, for as long as it takes. It runs only while the event's marker is absent, and
   * its result goes to `handle`, which records it. A crash between the two runs it again on the retry, so what it
   * calls should dedupe by a stable id (a partner's webhook-id) or accept that rare repeat (a chat message).
   */
  perform?(event: HubEvent<T>): Promise<R>;
  /**
   * True when `perform` is harmless to repeat because its effect is keyed (a timer's job id, a removal), and there is
   * nothing to record: it then runs on every delivery of the event with no marker and no transaction, which saves
   * four statements an event. Such a subscriber has no `handle`.
   */
  repeatable?: boolean;
  /**
   * Runs inside the transaction that records the marker: database effects commit with it or not at all. Absent when
   * there is nothing to record beyond the marker itself.
   */
  handle?(event: HubEvent<T>, tx: Executor, performed: R): Promise<void>;
  /**
   * Called after `perform` or `handle` threw (and the transaction rolled back), before the job retries: to note the
   * failure where people look (a message's delivery error). Its own failure is only logged.
   */
  onFailure?(event: HubEvent<T>, error: unknown): Promise<void>;
}

/**
 * Whether a subscriber may already have finished with this event: on a retry, or when the relay published the event
 * again because the queue lost its job. An event's first job on its first attempt has run nowhere (its job id is the
 * event id, so a second publish while the job exists adds nothing), so it needs no look for markers before an outside
 * call; the marker's insert still guards the handler.
 */
const mayHaveRun = (job: Job<HubEvent>) => job.attempt > 1 || job.data.republished === true;

export class EventBus {
  private readonly subscribers: Subscriber<HubEventType, unknown>[] = [];
  /** Run for every event, so built once: drizzle would build its SQL again on every call. */
  private readonly markProcessed;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    /** The relay's wake-up, after a subscriber's transaction commits: it may have written events of its own. */
    private readonly wake: () => void = () => {},
  ) {
    this.markProcessed = db
      .update(outboxEvents)
      .set({ processedAt: sql`now()` })
      .where(and(eq(outboxEvents.id, sql.placeholder("id")), isNull(outboxEvents.processedAt)))
      .prepare("outbox_mark_processed");
  }

  subscribe<T extends HubEventType, R>(subscriber: Subscriber<T, R>): void {
    if (this.subscribers.some((s) => s.name === subscriber.name)) {
      throw new Error(`subscriber "${subscriber.name}" is registered twice`);
    }
    this.subscribers.push(subscriber as unknown as Subscriber<HubEventType, unknown>);
  }

  /** Takes events from the events queue. A failing subscriber fails the job, which retries only the unfinished ones. */
  listen(jobs: JobDriver, concurrency = 4): void {
    jobs.process(EVENTS_QUEUE, (job) => this.dispatch(job as Job<HubEvent>), { concurrency });
  }

  async dispatch(job: Job<HubEvent>): Promise<void> {
    const event = job.data;
    const failures: unknown[] = [];
    for (const subscriber of this.subscribers.filter((s) => s.type === event.type && (s.wants?.(event) ?? true))) {
      try {
        if (subscriber.repeatable && subscriber.perform) {
          await subscriber.perform(event);
          continue;
        }
        let performed: unknown;
        if (subscriber.perform) {
          if (mayHaveRun(job) && (await this.processed(event.id, subscriber.name))) continue;
          performed = await subscriber.perform(event);
        }
        await inTransaction({ db: this.db, wake: this.wake }, async (tx) => {
          // The marker goes in first: a second delivery of the event conflicts here and skips the handler.
          const fresh = await tx
            .insert(processedEvents)
            .values({ eventId: event.id, handler: subscriber.name })
            .onConflictDoNothing()
            .returning({ eventId: processedEvents.eventId });
          if (fresh.length > 0) await subscriber.handle?.(event, tx, performed);
        });
      } catch (error) {
        this.logger.warn({ err: error, eventId: event.id, subscriber: subscriber.name }, "event subscriber failed");
        failures.push(error);
        await subscriber
          .onFailure?.(event, error)
          .catch((noted: unknown) =>
            this.logger.error(
              { err: noted, eventId: event.id, subscriber: subscriber.name },
              "noting a subscriber's failure failed",
            ),
          );
      }
    }
    if (failures.length === 0) {
      await this.markProcessed.execute({ id: event.id });
      return;
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      const message = `${failures.length} subscribers of ${event.type} failed`;
      // Retrying helps only if one of them might succeed next time.
      if (failures.every((f) => f instanceof HopelessJobError))
        throw new HopelessJobError(message, { cause: new AggregateError(failures) });
      throw new AggregateError(failures, message);
    }
  }

  private async processed(eventId: string, handler: string): Promise<boolean> {
    const found = await this.db
      .select({ eventId: processedEvents.eventId })
      .from(processedEvents)
      .where(and(eq(processedEvents.eventId, eventId), eq(processedEvents.handler, handler)));
    return found.length > 0;
  }
}
