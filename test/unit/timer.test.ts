// A timer's pure parts: its job id (the ids queued in a running system must never change) and its delay.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { completionTimer } from "../../hub/bookings/completion";
import { holdJobId, holdTimer } from "../../hub/bookings/timers";
import { type EnqueueResult, type JobDriver, type JobOptions, assertJobId } from "../../hub/core/jobs/driver";
import { defineTimer, delayUntil } from "../../hub/core/jobs/timer";
import { deadlineJobId, deadlineTimer, escalationJobId, escalationTimer } from "../../hub/sla/timers";
import { watchdogJobId, watchdogTimer } from "../../payments/orchestrator/watchdog";

const id = "0b6e3a52-5f1c-4c3e-9d1a-2f4b8c7d9e10";

/** Records what a timer asks of its driver; says a job was created unless its id was seen before. */
function recordingDriver() {
  const enqueued: { queue: string; name: string; data: unknown; options?: JobOptions }[] = [];
  const cancelled: { queue: string; jobId: string }[] = [];
  const seen = new Set<string>();
  const jobs = {
    async enqueue(queue: string, name: string, data: unknown, options?: JobOptions): Promise<EnqueueResult> {
      enqueued.push({ queue, name, data, options });
      const key = `${queue}/${options?.jobId}`;
      const created = !seen.has(key);
      seen.add(key);
      return { id: options?.jobId ?? "", created };
    },
    async cancel(queue: string, jobId: string) {
      cancelled.push({ queue, jobId });
      return true;
    },
  } as unknown as JobDriver;
  return { jobs, enqueued, cancelled };
}

describe("timer job ids", () => {
  it("stay exactly what a running system has queued", () => {
    expect(holdJobId(id)).toBe(`booking-hold-${id}`);
    expect(deadlineJobId(id)).toBe(`sla-deadline-${id}`);
    expect(escalationJobId(id)).toBe(`sla-escalate-${id}`);
    expect(watchdogJobId(id)).toBe(`payment-watchdog-${id}`);
    expect(completionTimer.jobId(id)).toBe(`booking-completion-${id}`);
    expect([completionTimer.queue, completionTimer.job]).toEqual(["bookings", "booking.completion"]);
    expect([holdTimer, deadlineTimer, escalationTimer, watchdogTimer].map((t) => [t.queue, t.job])).toEqual([
      ["bookings", "booking.hold_expiry"],
      ["sla", "sla.deadline"],
      ["sla", "sla.escalate"],
      ["payments", "payment.watchdog"],
    ]);
  });

  it("are valid ids for every driver (no ':') for any uuid key", () => {
    fc.assert(
      fc.property(fc.uuid(), (key) => {
        for (const timer of [holdTimer, completionTimer, deadlineTimer, escalationTimer, watchdogTimer])
          expect(() => assertJobId(timer.jobId(key))).not.toThrow();
      }),
    );
  });

  it("may come from a function of one's own, and a prefix no driver accepts is refused at once", () => {
    const own = defineTimer({ queue: "q", job: "j", jobId: (key) => `own.${key}`, keyField: "thing_id" });
    expect(own.jobId("7")).toBe("own.7");
    expect(() => defineTimer({ queue: "q", job: "j", idPrefix: "bad:prefix", keyField: "thing_id" })).toThrow(
      TypeError,
    );
  });

  it("carry their key in the data's key field, and read it back from a fired job", () => {
    expect(holdTimer.data(id)).toEqual({ booking_id: id });
    expect(deadlineTimer.data(id)).toEqual({ inquiry_id: id });
    expect(watchdogTimer.data(id)).toEqual({ payment_id: id });
    const job = { id: holdJobId(id), queue: "bookings", name: "booking.hold_expiry", data: { booking_id: id } };
    expect(holdTimer.keyOf({ ...job, attempt: 1, maxAttempts: 5 })).toBe(id);
  });
});

describe("timer delay", () => {
  it("is the time left until the due time, and never negative", () => {
    const now = new Date("2025-06-01T12:00:00Z");
    expect(delayUntil(new Date("2025-06-01T12:05:00Z"), now)).toBe(300_000);
    expect(delayUntil(now, now)).toBe(0);
    expect(delayUntil(new Date("2025-06-01T11:00:00Z"), now)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.integer({ min: 0, max: 4e12 }), (offset, at) => {
        const delay = delayUntil(new Date(at + offset), new Date(at));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBe(Math.max(0, offset));
      }),
    );
  });
});

describe("arm, disarm and rearm", () => {
  const now = new Date("2025-06-01T12:00:00Z");

  it("arm queues the job under its id with the delay; a due time in the past runs at once", async () => {
    const { jobs, enqueued } = recordingDriver();
    await watchdogTimer.arm(jobs, id, new Date(now.getTime() + 60_000), now);
    await holdTimer.arm(jobs, id, new Date(now.getTime() - 60_000), now);
    expect(enqueued).toEqual([
      {
        queue: "payments",
        name: "payment.watchdog",
        data: { payment_id: id },
        options: { jobId: `payment-watchdog-${id}`, delayMs: 60_000 },
      },
      {
        queue: "bookings",
        name: "booking.hold_expiry",
        data: { booking_id: id },
        options: { jobId: `booking-hold-${id}`, delayMs: 0 },
      },
    ]);
  });

  it("disarm cancels the job by its id in its queue", async () => {
    const { jobs, cancelled } = recordingDriver();
    await deadlineTimer.disarm(jobs, id);
    await escalationTimer.disarm(jobs, id);
    expect(cancelled).toEqual([
      { queue: "sla", jobId: `sla-deadline-${id}` },
      { queue: "sla", jobId: `sla-escalate-${id}` },
    ]);
  });

  it("rearm arms every row and counts only the jobs it had to create", async () => {
    const { jobs, enqueued } = recordingDriver();
    await holdTimer.arm(jobs, "a", now, now);
    const rows = ["a", "b", "c"].map((key) => ({ key, dueAt: new Date(now.getTime() + 1000) }));
    expect(await holdTimer.rearm(jobs, rows, now)).toBe(2);
    expect(await holdTimer.rearm(jobs, rows, now)).toBe(0);
    expect(await holdTimer.rearm(jobs, [], now)).toBe(0);
    expect(enqueued).toHaveLength(7);
  });
});
