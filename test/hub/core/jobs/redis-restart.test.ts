// Timers through a Redis restarted without persistence, with the hub left running: every SLA deadline, escalation,
// hold expiry and payment watchdog that Redis lost is armed again and fires once, on time. A Redis of the test's own.
import type { ChildProcess } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, bookings, inquiries, outboxEvents, payments, tasks } from "../../../../db/schema";
import { holdJobId } from "../../../../hub/bookings/timers";
import { BullMqJobDriver } from "../../../../hub/core/jobs/bullmq";
import { BOOKINGS_QUEUE, PAYMENTS_QUEUE, SLA_QUEUE } from "../../../../hub/core/jobs/queues";
import { deadlineJobId, escalationJobId } from "../../../../hub/sla/timers";
import { watchdogJobId } from "../../../../payments/orchestrator/watchdog";
import { startHub, type TestHub } from "../../../support/hub";
import { deleteRedisPrefix, freePort, newRedisPrefix, startRedisServer, stopRedisServer } from "../../../support/redis";

/** Hold, watchdog and escalation all run 20 s, long enough to outlast the outage below. */
const TIMER_SECONDS = 20;
const LEADS = 20;
const POLL = { timeout: 40_000, interval: 100 };
/** "Within its usual second", plus the database's and Node's clocks read at different moments. */
const ON_TIME_MS = 1100;

// Not skipped in any pass: the test starts a redis-server of its own, so it needs no REDIS_URL.
describe("timers when Redis restarts without persistence and the hub does not", () => {
  let port: number;
  let redis: ChildProcess;
  let t: TestHub;
  let rooms = 0;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedisServer(port);
    t = await startHub({
      redisUrl: `redis://127.0.0.1:${port}`,
      payments: { secondary: null },
      env: {
        SLA_ESCALATE_AFTER_MINUTES: String(TIMER_SECONDS / 60),
        BOOKING_HOLD_MINUTES: String(TIMER_SECONDS / 60),
        PAYMENT_WEBHOOK_TIMEOUT_MINUTES: String(TIMER_SECONDS / 60),
        // The safety-net sweep stays out of it: what brings the timers back here is the reconnect.
        TIMER_SWEEP_SECONDS: "3600",
      },
    });
    expect(t.hub.jobs.kind).toBe("bullmq");
    expect((await t.request("PUT", "/sla-policies/web_form", { body: { deadline_minutes: 1 } })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.stop();
    if (redis && redis.exitCode === null) await stopRedisServer(redis);
  });

  /** A web-form lead whose 1-minute deadline is `ms` away (its arrival set back to make it so). */
  const leadDueIn = async (ms: number) => {
    const receivedAt = new Date(Date.now() - 60_000 + ms);
    const res = await t.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        client: { email: `restart-${Math.random().toString(36).slice(2)}@example.com` },
        received_at: receivedAt.toISOString(),
      },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const heldBooking = async () => {
    const room = await t.request("POST", "/resources", { body: { name: `Restart room ${++rooms}`, capacity: 8 } });
    // Received now: its own deadline is a minute away, after this test.
    const lead = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: `room-${rooms}@example.com` } },
    });
    const held = await t.request("POST", "/bookings", {
      body: {
        inquiry_id: lead.body.id,
        resource_id: room.body.id,
        start_at: "2027-03-05T19:00",
        duration_minutes: 120,
        party_size: 2,
        deposit_amount: 2500,
      },
    });
    expect(held.status).toBe(201);
    return held.body.id as string;
  };
  const queued = (queue: string, jobId: string) => t.hub.jobs.state(queue, jobId);
  const audits = async (ids: string[], action: string) =>
    (
      await t.hub.db
        .select({ entityId: auditLog.entityId })
        .from(auditLog)
        .where(and(inArray(auditLog.entityId, ids), eq(auditLog.action, action)))
    ).map((a) => a.entityId);

  it("arms again, from the database, every timer Redis lost, and each fires once within a second of its time", async () => {
    // Before the outage: one lead breached already (its escalation waits), twenty due after it, a hold, a watchdog.
    const breached = await leadDueIn(1000);
    await expect.poll(() => queued(SLA_QUEUE, escalationJobId(breached)), POLL).toBe("delayed");
    const due: string[] = [];
    for (let i = 0; i < LEADS; i++) due.push(await leadDueIn(14_000 + i * 200));
    const held = await heldBooking();
    const paying = await heldBooking();
    expect((await t.request("POST", `/bookings/${paying}/accept`)).status).toBe(200);
    const attempts = () => t.hub.db.select().from(payments).where(eq(payments.bookingId, paying));
    await expect.poll(async () => (await attempts()).length, POLL).toBe(1);
    const [attempt] = await attempts();
    for (const id of due) await expect.poll(() => queued(SLA_QUEUE, deadlineJobId(id)), POLL).toBe("delayed");
    await expect.poll(() => queued(BOOKINGS_QUEUE, holdJobId(held)), POLL).toBe("delayed");
    await expect.poll(() => queued(PAYMENTS_QUEUE, watchdogJobId(attempt!.id)), POLL).toBe("delayed");

    // Redis goes, with every job it held, and comes back empty on the same port: the hub keeps running.
    await stopRedisServer(redis);
    // The outage itself: three seconds with no Redis at all, not a wait for anything.
    await new Promise((r) => setTimeout(r, 3000));
    redis = await startRedisServer(port);

    // Every deadline breaches once, within a second of it.
    await expect.poll(async () => (await audits(due, "inquiry.sla_breached")).length, POLL).toBe(LEADS);
    const rows = await t.hub.db
      .select({ id: inquiries.id, deadline: inquiries.slaDeadlineAt, breachedAt: inquiries.slaBreachedAt })
      .from(inquiries)
      .where(inArray(inquiries.id, due));
    for (const row of rows)
      expect(Math.abs(row.breachedAt!.getTime() - row.deadline.getTime()), row.id).toBeLessThan(ON_TIME_MS);

    // The lead breached before the outage escalates once, SLA_ESCALATE_AFTER_MINUTES after its breach; it does not
    // breach again.
    await expect.poll(async () => (await audits([breached], "inquiry.sla_escalated")).length, POLL).toBe(1);
    const [early] = await t.hub.db.select().from(inquiries).where(eq(inquiries.id, breached));
    expect(
      Math.abs(early!.slaEscalatedAt!.getTime() - early!.slaBreachedAt!.getTime() - TIMER_SECONDS * 1000),
    ).toBeLessThan(ON_TIME_MS);

    // The hold runs out on time.
    await expect.poll(async () => (await t.request("GET", `/bookings/${held}`)).body.status, POLL).toBe("expired");
    const [hold] = await t.hub.db.select().from(bookings).where(eq(bookings.id, held));
    expect(Math.abs(hold!.cancelledAt!.getTime() - hold!.holdExpiresAt!.getTime())).toBeLessThan(ON_TIME_MS);

    // The watchdog of the Stripe attempt with no webhook fires on time and closes it.
    await expect
      .poll(
        async () => (await t.hub.db.select().from(payments).where(eq(payments.id, attempt!.id)))[0]!.failureReason,
        POLL,
      )
      .toMatch(/^no webhook from stripe within 0\.33 min/);
    const failed = await t.hub.db
      .select({ createdAt: outboxEvents.createdAt })
      .from(outboxEvents)
      .where(and(eq(outboxEvents.aggregateId, attempt!.id), eq(outboxEvents.type, "payment.attempt_failed")));
    expect(failed).toHaveLength(1);
    expect(Math.abs(failed[0]!.createdAt.getTime() - attempt!.createdAt.getTime() - TIMER_SECONDS * 1000)).toBeLessThan(
      ON_TIME_MS,
    );

    // Nothing fired twice: a moment later, still one breach and one task per lead, one escalation, one expiry.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await audits([...due, breached], "inquiry.sla_breached")).length).toBe(LEADS + 1);
    expect(
      await t.hub.db
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(inArray(tasks.inquiryId, [...due, breached]), eq(tasks.type, "sla.breached"))),
    ).toHaveLength(LEADS + 1);
    expect(await audits([breached], "inquiry.sla_escalated")).toHaveLength(1);
    expect(await audits([held], "booking.expired")).toHaveLength(1);
  }, 90_000);

  it("tells the driver's listeners when Redis lost what it held, and not when Redis merely dropped the connection", {
    timeout: 60_000,
  }, async () => {
    const url = `redis://127.0.0.1:${port}`;
    const prefix = newRedisPrefix();
    const driver = new BullMqJobDriver(url, pino({ level: "silent" }), { prefix, markerCheckMs: 200 });
    const admin = new Redis(url);
    const lost: string[] = [];
    driver.onJobsLost((reason) => lost.push(reason));
    try {
      await expect.poll(async () => (await admin.keys(`${prefix}:process:*`)).length, POLL).toBe(1);
      // Every connection but the admin's is cut: the driver reconnects, finds its marker, and says nothing. The first
      // enqueue meets the dead connection; a queue whose start failed so is made anew, not refused for good.
      await admin.call("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal");
      await expect
        .poll(
          () =>
            driver.enqueue("probe", "x", {}).then(
              () => true,
              () => false,
            ),
          POLL,
        )
        .toBe(true);
      // A window in which nothing may be said: the marker is still there after the reconnect.
      await new Promise((r) => setTimeout(r, 600));
      expect(lost).toEqual([]);
      // The marker gone (as a flush or an eviction leaves it): said once, at the next check.
      await deleteRedisPrefix(url, prefix);
      await expect.poll(() => lost.length, POLL).toBe(1);
      expect(lost[0]).toMatch(/^Redis no longer holds this process's marker key/);
      // A window in which it may not be said again.
      await new Promise((r) => setTimeout(r, 600));
      expect(lost).toHaveLength(1);
    } finally {
      await driver.close();
      await deleteRedisPrefix(url, prefix);
      await admin.quit();
    }
  });
});
