// Events whose jobs the queue lost (a Redis restart without persistence, evicted keys) are published again, once.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVENTS_QUEUE } from "../../../../hub/core/jobs/queues";
import { startHub, type TestHub } from "../../../support/hub";

describe("lost event jobs", () => {
  let t: TestHub;
  beforeAll(async () => {
    // An API-role hub: its relay publishes, but nothing takes the jobs until the test says so.
    t = await startHub({
      overrides: { role: "api", relayOptions: { pollMs: 50, lostAfterMs: 300, recoverEveryMs: 100 } },
    });
  });
  afterAll(() => t.stop());

  const outbox = async (id: string) =>
    (
      await t.hub.database.rows<{ published: boolean; processed: boolean; attempts: number }>(
        sql`select published_at is not null as published, processed_at is not null as processed, publish_attempts as attempts
            from outbox_events where aggregate_id = ${id}`,
      )
    )[0];

  it("publishes again an event whose job vanished from the queue, and it takes effect once", async () => {
    const res = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: "lost@example.com" }, received_at: "2025-04-04T12:00:00Z" },
    });
    expect(res.status).toBe(201);
    await expect.poll(async () => (await outbox(res.body.id))?.published, { timeout: 5000 }).toBe(true);
    const [{ id: eventId }] = (await t.hub.database.rows<{ id: string }>(
      sql`select id::text from outbox_events where aggregate_id = ${res.body.id}`,
    )) as [{ id: string }];

    // The queue loses the job, as a Redis that restarts without persistence would.
    expect(await t.hub.jobs.cancel(EVENTS_QUEUE, eventId)).toBe(true);
    expect(await t.hub.jobs.state(EVENTS_QUEUE, eventId)).toBeUndefined();

    t.hub.bus.listen(t.hub.jobs);
    const count = async () =>
      (
        await t.hub.database.rows<{ n: number }>(
          sql`select total_count as n from inquiry_metrics_daily where date_london = '2025-04-04' and source = 'web_form'`,
        )
      )[0]?.n ?? 0;
    await expect.poll(count, { timeout: 10_000, interval: 50 }).toBe(1);
    await expect.poll(async () => (await outbox(res.body.id))?.processed, { timeout: 5000 }).toBe(true);
    expect((await outbox(res.body.id))?.attempts).toBe(2);
    // Processed events are left alone from now on.
    await new Promise((r) => setTimeout(r, 800));
    expect(await count()).toBe(1);
    expect((await outbox(res.body.id))?.attempts).toBe(2);
  });
});
