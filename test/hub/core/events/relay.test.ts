// The outbox → relay → job queue → subscribers path: every committed event is delivered at least once, and each
// subscriber's effect happens exactly once.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, DatabaseHandle } from "../../../../db/client";
import { inquiryMetricsDaily, jobs, outboxEvents, processedEvents, type InquirySource } from "../../../../db/schema";
import { EventBus } from "../../../../hub/core/events/bus";
import { appendEvent } from "../../../../hub/core/events/outbox";
import { OutboxRelay } from "../../../../hub/core/events/relay";
import { EVENTS_QUEUE } from "../../../../hub/core/jobs/queues";
import type { HubEvent, HubEvents } from "../../../../hub/core/events/types";
import type { Job } from "../../../../hub/core/jobs/driver";
import { InProcessJobDriver } from "../../../../hub/core/jobs/in-process";
import { countInquiries } from "../../../../hub/metrics";
import { londonDate } from "../../../../hub/core/time";
import { openTestDatabase } from "../../../support/database";
import { startHub, type TestHub } from "../../../support/hub";

const COUNTER = countInquiries.name; // "metrics.count-inquiries"
const POLL = { timeout: 5000, interval: 20 };

async function totalCount(db: Database, dateLondon: string, source: InquirySource): Promise<number> {
  const [row] = await db
    .select({ n: inquiryMetricsDaily.totalCount })
    .from(inquiryMetricsDaily)
    .where(and(eq(inquiryMetricsDaily.dateLondon, dateLondon), eq(inquiryMetricsDaily.source, source)));
  return row?.n ?? 0;
}

const outboxRow = async (db: Database, id: string) =>
  (await db.select().from(outboxEvents).where(eq(outboxEvents.id, id)))[0];
const eventJob = async (db: Database, id: string) =>
  (
    await db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, EVENTS_QUEUE), eq(jobs.id, id)))
  )[0];
const markers = (db: Database, eventId: string) =>
  db.select({ handler: processedEvents.handler }).from(processedEvents).where(eq(processedEvents.eventId, eventId));

/** A synthetic inquiry.created payload; its received_at picks the metrics row it counts into. */
function inquiryCreated(receivedAt: string, source: InquirySource = "web_form"): HubEvents["inquiry.created"] {
  return {
    inquiry_id: randomUUID(),
    source,
    client_id: randomUUID(),
    partner_code: null,
    received_at: receivedAt,
    sla_deadline_at: receivedAt,
    priority: 100,
  };
}

/** The job the relay would put on the queue for this outbox row. */
function jobFor(event: typeof outboxEvents.$inferSelect, attempt = 1): Job<HubEvent> {
  return {
    id: event.id,
    queue: EVENTS_QUEUE,
    name: event.type,
    data: {
      id: event.id,
      type: event.type as "inquiry.created",
      payload: event.payload as HubEvents["inquiry.created"],
      created_at: event.createdAt.toISOString(),
    },
    attempt,
    maxAttempts: 5,
  };
}

describe("outbox relay and event bus in a running hub", () => {
  let t: TestHub;
  let db: Database;
  beforeAll(async () => {
    // The in-process driver: these tests look into its jobs table to see what was queued.
    t = await startHub({ jobs: "in-process" });
    db = t.hub.db;
  });
  afterAll(() => t.stop());

  async function postInquiry(receivedAt: string) {
    const res = await t.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        message: "hi",
        received_at: receivedAt,
        client: { name: "Ann", phone: "+44 7911 123456" },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [event] = await db.select().from(outboxEvents).where(eq(outboxEvents.aggregateId, res.body.id));
    expect(event).toBeDefined();
    return { inquiry: res.body, event: event! };
  }

  async function waitUntilDelivered(eventId: string) {
    await expect.poll(async () => (await outboxRow(db, eventId))?.publishedAt ?? null, POLL).toBeInstanceOf(Date);
    await expect.poll(async () => (await eventJob(db, eventId))?.status, POLL).toBe("completed");
  }

  it("publishes an inquiry's inquiry.created event, runs it as a job, and counts the inquiry once", async () => {
    // 20:00 UTC on 1 July is 21:00 in London the same day, but already 2 July in Tokyo (the tests' process zone).
    const receivedAt = "2024-07-01T20:00:00Z";
    expect(await totalCount(db, "2024-07-01", "web_form")).toBe(0);

    const { inquiry, event } = await postInquiry(receivedAt);
    expect(event).toMatchObject({
      type: "inquiry.created",
      aggregateType: "inquiry",
      aggregateId: inquiry.id,
      payload: { inquiry_id: inquiry.id, source: "web_form", received_at: "2024-07-01T20:00:00.000Z" },
    });

    await waitUntilDelivered(event.id);
    expect(await outboxRow(db, event.id)).toMatchObject({ claimedUntil: null, publishAttempts: 1, lastError: null });
    expect(await eventJob(db, event.id)).toMatchObject({
      name: "inquiry.created",
      attemptsMade: 1,
      data: {
        id: event.id,
        type: "inquiry.created",
        payload: event.payload,
        created_at: event.createdAt.toISOString(),
      },
    });
    expect(londonDate(new Date(inquiry.received_at))).toBe("2024-07-01");
    expect(await totalCount(db, "2024-07-01", "web_form")).toBe(1);
    expect(await totalCount(db, "2024-07-02", "web_form")).toBe(0);
    expect((await markers(db, event.id)).map((m) => m.handler).sort()).toEqual([COUNTER]);

    await sleep(300); // the relay and workers keep polling: nothing more may happen
    expect(await totalCount(db, "2024-07-01", "web_form")).toBe(1);
    expect(await outboxRow(db, event.id)).toMatchObject({ publishAttempts: 1 });
  });

  it("counts once when an event is published twice or delivered to the bus twice", async () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): the London day, not the UTC one.
    const { event } = await postInquiry("2023-06-30T23:30:00Z");
    await waitUntilDelivered(event.id);
    expect(await totalCount(db, "2023-07-01", "web_form")).toBe(1);
    expect(await totalCount(db, "2023-06-30", "web_form")).toBe(0);

    // Published again, as after a relay lost track of having published it.
    await db.update(outboxEvents).set({ publishedAt: null, claimedUntil: null }).where(eq(outboxEvents.id, event.id));
    await t.hub.relay.drain(); // may race the hub's own relay pass; either one publishes it
    await expect.poll(async () => (await outboxRow(db, event.id))?.publishAttempts, POLL).toBe(2);
    await expect.poll(async () => (await outboxRow(db, event.id))?.publishedAt ?? null, POLL).toBeInstanceOf(Date);

    // Delivered to the bus twice more, as a queue redelivery would.
    await t.hub.bus.dispatch(jobFor(event, 2));
    await t.hub.bus.dispatch(jobFor(event, 3));

    await sleep(300); // a window in which the redeliveries may not count again
    expect(await eventJob(db, event.id)).toMatchObject({ status: "completed", attemptsMade: 1 });
    expect(await totalCount(db, "2023-07-01", "web_form")).toBe(1);
    expect((await markers(db, event.id)).map((m) => m.handler).sort()).toEqual([COUNTER]);
  });

  it("counts once when a new event reaches the bus twice at the same time", async () => {
    const event = {
      id: randomUUID(),
      type: "inquiry.created" as const,
      aggregateType: "inquiry",
      aggregateId: randomUUID(),
      payload: inquiryCreated("2022-03-15T12:00:00Z", "telegram"),
      createdAt: new Date(),
      publishedAt: null,
      processedAt: null,
      claimedUntil: null,
      publishAttempts: 0,
      lastError: null,
    };
    await Promise.all([t.hub.bus.dispatch(jobFor(event)), t.hub.bus.dispatch(jobFor(event))]);
    expect(await totalCount(db, "2022-03-15", "telegram")).toBe(1);
    // A telegram lead also concerns the acknowledgement: one marker each. Arming the SLA timer is repeatable (its
    // job id is the inquiry's) and keeps no marker.
    expect((await markers(db, event.id)).map((m) => m.handler).sort()).toEqual(
      [COUNTER, "conversations.acknowledge"].sort(),
    );
  });

  it("publishes again an event whose relay died after enqueueing it, without a second effect", async () => {
    await t.hub.relay.stop();
    let event: typeof outboxEvents.$inferSelect;
    let held: string;
    try {
      ({ event } = await postInquiry("2024-09-01T10:00:00Z"));
      // The dead relay had claimed it and put it on the queue, then died before marking it published...
      await db
        .update(outboxEvents)
        .set({ claimedUntil: sql`now() - interval '1 second'`, publishAttempts: 1 })
        .where(eq(outboxEvents.id, event.id));
      const enqueued = await t.hub.jobs.enqueue(EVENTS_QUEUE, event.type, jobFor(event).data, { jobId: event.id });
      expect(enqueued).toEqual({ id: event.id, created: true });
      await expect.poll(async () => (await eventJob(db, event.id))?.status, POLL).toBe("completed");
      expect(await totalCount(db, "2024-09-01", "web_form")).toBe(1);
      // ...while this one is claimed by a relay that is still alive.
      held = await db.transaction((tx) =>
        appendEvent(tx, {
          type: "inquiry.created",
          aggregateType: "inquiry",
          aggregateId: randomUUID(),
          payload: inquiryCreated("2024-09-02T10:00:00Z"),
        }),
      );
      await db
        .update(outboxEvents)
        .set({ claimedUntil: sql`now() + interval '1 minute'`, publishAttempts: 1 })
        .where(eq(outboxEvents.id, held));
      expect(await outboxRow(db, event.id)).toMatchObject({ publishedAt: null });
    } finally {
      t.hub.relay.start();
    }

    await expect.poll(async () => (await outboxRow(db, event.id))?.publishedAt ?? null, POLL).toBeInstanceOf(Date);
    expect(await outboxRow(db, event.id)).toMatchObject({ publishAttempts: 2, claimedUntil: null, lastError: null });
    await sleep(300); // a window in which the second publish may not run the handlers again
    expect(await eventJob(db, event.id)).toMatchObject({ status: "completed", attemptsMade: 1 });
    expect(await totalCount(db, "2024-09-01", "web_form")).toBe(1);

    // The live claim is respected until it runs out, then the event is published too.
    expect(await outboxRow(db, held)).toMatchObject({ publishedAt: null, publishAttempts: 1 });
    expect(await eventJob(db, held)).toBeUndefined();
    await db
      .update(outboxEvents)
      .set({ claimedUntil: sql`now() - interval '1 second'` })
      .where(eq(outboxEvents.id, held));
    await waitUntilDelivered(held);
    expect(await totalCount(db, "2024-09-02", "web_form")).toBe(1);
  });

  it("never queues an event whose transaction rolled back", async () => {
    let rolledBack: string | undefined;
    await expect(
      db.transaction(async (tx) => {
        rolledBack = await appendEvent(tx, {
          type: "inquiry.created",
          aggregateType: "inquiry",
          aggregateId: randomUUID(),
          payload: inquiryCreated("2021-11-11T11:00:00Z"),
        });
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");
    expect(rolledBack).toMatch(/^[0-9a-f-]{36}$/);

    const committed = await db.transaction((tx) =>
      appendEvent(tx, {
        type: "inquiry.created",
        aggregateType: "inquiry",
        aggregateId: randomUUID(),
        payload: inquiryCreated("2021-11-12T11:00:00Z"),
      }),
    );
    t.hub.relay.wake();
    await waitUntilDelivered(committed);
    await t.hub.relay.drain();

    expect(await outboxRow(db, rolledBack!)).toBeUndefined();
    expect(await eventJob(db, rolledBack!)).toBeUndefined();
    expect(await markers(db, rolledBack!)).toEqual([]);
    expect(await totalCount(db, "2021-11-11", "web_form")).toBe(0);
    expect(await totalCount(db, "2021-11-12", "web_form")).toBe(1);
  });
});

describe("a failing subscriber", () => {
  let handle: DatabaseHandle;
  let driver: InProcessJobDriver;
  let relay: OutboxRelay;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(async () => {
    await relay?.stop();
    await driver?.close();
    await handle.close();
  });

  it("is retried until it succeeds, while its siblings that succeeded are not run again", async () => {
    const logger = pino({ level: "silent" });
    const db = handle.db;
    driver = new InProcessJobDriver(db, logger, { pollMs: 20, random: () => 0 });
    relay = new OutboxRelay(db, driver, logger, { pollMs: 50 });
    const bus = new EventBus(db, logger);

    const siblingRuns: string[] = [];
    let flakyRuns = 0;
    bus.subscribe(countInquiries);
    bus.subscribe({
      name: "test.sibling",
      type: "inquiry.created",
      async handle(event) {
        siblingRuns.push(event.id);
      },
    });
    bus.subscribe({
      name: "test.flaky",
      type: "inquiry.created",
      async handle(_event, tx) {
        flakyRuns++;
        // An effect made before failing is rolled back with the failure: it must count once, not once per attempt.
        await tx
          .insert(inquiryMetricsDaily)
          .values({ dateLondon: "1999-12-31", source: "phone", totalCount: 1 })
          .onConflictDoUpdate({
            target: [inquiryMetricsDaily.dateLondon, inquiryMetricsDaily.source],
            set: { totalCount: sql`${inquiryMetricsDaily.totalCount} + 1` },
          });
        if (flakyRuns < 3) throw new Error(`flaky failure ${flakyRuns}`);
      },
    });
    bus.listen(driver);
    relay.start();

    const eventId = await db.transaction((tx) =>
      appendEvent(tx, {
        type: "inquiry.created",
        aggregateType: "inquiry",
        aggregateId: randomUUID(),
        payload: inquiryCreated("2024-05-05T09:00:00Z"),
      }),
    );
    relay.wake();

    await expect
      .poll(() => driver.stats(EVENTS_QUEUE), { timeout: 8000, interval: 20 })
      .toMatchObject({ completed: 1 });
    expect(await driver.stats(EVENTS_QUEUE)).toMatchObject({ failed: 0, waiting: 0, delayed: 0, active: 0 });
    expect(flakyRuns).toBe(3);
    expect(siblingRuns).toEqual([eventId]);
    expect(await eventJob(db, eventId)).toMatchObject({ status: "completed", attemptsMade: 3, lastError: null });
    expect(await totalCount(db, "2024-05-05", "web_form")).toBe(1);
    expect(await totalCount(db, "1999-12-31", "phone")).toBe(1);
    expect((await markers(db, eventId)).map((m) => m.handler).sort()).toEqual([COUNTER, "test.flaky", "test.sibling"]);
    expect(await outboxRow(db, eventId)).toMatchObject({ publishAttempts: 1 });
  });
});
