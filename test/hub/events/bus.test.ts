// How the event bus reports failing subscribers to the job queue.
import { randomUUID } from "node:crypto";
import pino from "pino";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db/client";
import { EventBus } from "../../../hub/events/bus";
import type { HubEvent } from "../../../hub/events/types";
import { describeError, HopelessJobError, type Job } from "../../../hub/jobs/driver";
import { openTestDatabase } from "../../support/database";

describe("EventBus failures", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  const jobFor = (): Job<HubEvent> => {
    const id = randomUUID();
    const payload = { inquiry_id: id, source: "web_form", client_id: id, partner_code: null, received_at: "", sla_deadline_at: "", priority: 100 } as const;
    return { id, queue: "events", name: "inquiry.created", data: { id, type: "inquiry.created", payload, created_at: "" }, attempt: 1, maxAttempts: 5 };
  };

  const busWith = (...failures: Error[]) => {
    const bus = new EventBus(handle.db, pino({ level: "silent" }));
    failures.forEach((failure, i) =>
      bus.subscribe({ name: `failing-${i}`, type: "inquiry.created", handle: async () => Promise.reject(failure) }),
    );
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
    bus.subscribe({ name: "chats-only", type: "inquiry.created", wants: (e) => e.payload.source === "telegram", handle: async (e) => void seen.push(e.id) });
    const job = jobFor();
    await bus.dispatch(job);
    expect(seen).toEqual([]);
    expect(await handle.rows(sql`select 1 from processed_events where event_id = ${job.id}`)).toEqual([]);
  });
});

