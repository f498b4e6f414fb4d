// How the event bus runs subscribers: failures reported to the job queue, events they do not want, calls outside the
// database.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../../db/client";
import { EventBus } from "../../../../hub/core/events/bus";
import type { HubEvent } from "../../../../hub/core/events/types";
import { describeError, HopelessJobError, type Job } from "../../../../hub/core/jobs/driver";
import { openTestDatabase } from "../../../support/database";

describe("EventBus", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  const jobFor = (): Job<HubEvent> => {
    const id = randomUUID();
    const payload = {
      inquiry_id: id,
      source: "web_form",
      client_id: id,
      partner_code: null,
      received_at: "",
      sla_deadline_at: "",
      priority: 100,
    } as const;
    return {
      id,
      queue: "events",
      name: "inquiry.created",
      data: { id, type: "inquiry.created", payload, created_at: "" },
      attempt: 1,
      maxAttempts: 5,
    };
  };

  const busWith = (...failures: Error[]) => {
    const bus = new EventBus(handle.db, pino({ level: "silent" }));
    for (const [i, failure] of failures.entries()) {
      bus.subscribe({ name: `failing-${i}`, type: "inquiry.created", handle: async () => Promise.reject(failure) });
    }
    return bus;
  };

  it("is hopeless only when every failing subscriber is", async () => {
    const allHopeless = busWith(new HopelessJobError("gone"), new HopelessJobError("also gone"));
    await expect(allHopeless.dispatch(jobFor())).rejects.toBeInstanceOf(HopelessJobError);
    const mixed = busWith(new HopelessJobError("gone"), new Error("timeout"));
    const error = await mixed.dispatch(jobFor()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AggregateError);
    expect(error).not.toBeInstanceOf(HopelessJobError);
  });

  it("keeps every subscriber's reason in the dead letter's text", async () => {
    const error = await busWith(new Error("smtp down"), new Error("quota exceeded"))
      .dispatch(jobFor())
      .catch((e: unknown) => e);
    const text = describeError(error);
    expect(text).toContain("2 subscribers of inquiry.created failed");
    expect(text).toContain("smtp down");
    expect(text).toContain("quota exceeded");
  });

  it("runs a subscriber only for events it wants: no transaction, no marker, otherwise", async () => {
    const bus = new EventBus(handle.db, pino({ level: "silent" }));
    const seen: string[] = [];
    bus.subscribe({
      name: "chats-only",
      type: "inquiry.created",
      wants: (e) => e.payload.source === "telegram",
      handle: async (e) => void seen.push(e.id),
    });
    const job = jobFor();
    await bus.dispatch(job);
    expect(seen).toEqual([]);
    expect(await handle.rows(sql`select 1 from processed_events where event_id = ${job.id}`)).toEqual([]);
  });

  it("performs a subscriber's outside call with no transaction open, records its result once, and never performs it again", async () => {
    const bus = new EventBus(handle.db, pino({ level: "silent" }));
    const performed: string[] = [];
    const recorded: unknown[] = [];
    bus.subscribe({
      name: "sends-first",
      type: "inquiry.created",
      async perform(e) {
        // A query of its own would wait forever for the embedded database's one connection if a transaction held it.
        const [row] = await handle.rows<{ n: number }>(sql`select 1 as n`);
        performed.push(e.id);
        return { sent: row!.n };
      },
      handle: async (_e, _tx, result) => void recorded.push(result),
    });
    const job = jobFor();
    await bus.dispatch(job);
    // Delivered again: a retry of the job, and a publish again after the queue lost the job.
    await bus.dispatch({ ...job, attempt: 2 });
    await bus.dispatch({ ...job, data: { ...job.data, republished: true } });
    expect(performed).toEqual([job.id]);
    expect(recorded).toEqual([{ sent: 1 }]);
  });

  it("runs a repeatable subscriber on every delivery, with no marker", async () => {
    const bus = new EventBus(handle.db, pino({ level: "silent" }));
    const performed: number[] = [];
    bus.subscribe({
      name: "arms-a-timer",
      type: "inquiry.created",
      repeatable: true,
      perform: async (e) => void performed.push(e.id === job.id ? performed.length : -1),
    });
    const job = jobFor();
    await bus.dispatch(job);
    await bus.dispatch({ ...job, attempt: 2 });
    expect(performed).toEqual([0, 1]);
    expect(await handle.rows(sql`select 1 from processed_events where event_id = ${job.id}`)).toEqual([]);
    expect(await handle.rows(sql`select 1 from outbox_events where id = ${job.id}`)).toEqual([]);
  });
});
