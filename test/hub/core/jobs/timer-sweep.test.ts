// The timer keeper's safety net, on whichever job driver the pass runs: a timer whose job went missing while the hub
// runs, with no signal from the queue (a key evicted alone, a job removed by hand), is armed again by the next sweep.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, bookings, inquiries } from "../../../../db/schema";
import { holdJobId } from "../../../../hub/bookings/timers";
import { BOOKINGS_QUEUE, SLA_QUEUE } from "../../../../hub/core/jobs/queues";
import { deadlineJobId } from "../../../../hub/sla/timers";
import { startHub, type TestHub } from "../../../support/hub";

const POLL = { timeout: 20_000, interval: 50 };

describe("the timer sweep", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub({ env: { TIMER_SWEEP_SECONDS: "0.5", BOOKING_HOLD_MINUTES: "0.1" } });
    expect((await t.request("PUT", "/sla-policies/web_form", { body: { deadline_minutes: 1 } })).status).toBe(200);
  });
  afterAll(() => t.stop());

  it("arms again an SLA deadline and a hold whose jobs vanished, and each fires once, on time", async () => {
    // A lead due in 5 s, and a booking held for 6 s (BOOKING_HOLD_MINUTES) on a lead of its own.
    const lead = await t.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        client: { email: "swept@example.com" },
        received_at: new Date(Date.now() - 55_000).toISOString(),
      },
    });
    const room = await t.request("POST", "/resources", { body: { name: "Swept room", capacity: 4 } });
    const other = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: "held@example.com" } },
    });
    const held = await t.request("POST", "/bookings", {
      body: {
        inquiry_id: other.body.id,
        resource_id: room.body.id,
        start_at: "2027-03-05T19:00",
        duration_minutes: 60,
        party_size: 2,
        deposit_amount: 0,
      },
    });
    expect(held.status).toBe(201);
    await expect.poll(() => t.hub.jobs.state(SLA_QUEUE, deadlineJobId(lead.body.id)), POLL).toBe("delayed");
    await expect.poll(() => t.hub.jobs.state(BOOKINGS_QUEUE, holdJobId(held.body.id)), POLL).toBe("delayed");

    // Gone from the queue while their rows still say they are due.
    expect(await t.hub.jobs.cancel(SLA_QUEUE, deadlineJobId(lead.body.id))).toBe(true);
    expect(await t.hub.jobs.cancel(BOOKINGS_QUEUE, holdJobId(held.body.id))).toBe(true);

    await expect
      .poll(
        async () => (await t.hub.db.select().from(inquiries).where(eq(inquiries.id, lead.body.id)))[0]!.slaBreachedAt,
        POLL,
      )
      .not.toBeNull();
    const [inquiry] = await t.hub.db.select().from(inquiries).where(eq(inquiries.id, lead.body.id));
    expect(Math.abs(inquiry!.slaBreachedAt!.getTime() - inquiry!.slaDeadlineAt.getTime())).toBeLessThan(1000);

    await expect
      .poll(async () => (await t.request("GET", `/bookings/${held.body.id}`)).body.status, POLL)
      .toBe("expired");
    const [booking] = await t.hub.db.select().from(bookings).where(eq(bookings.id, held.body.id));
    expect(Math.abs(booking!.cancelledAt!.getTime() - booking!.holdExpiresAt!.getTime())).toBeLessThan(1000);

    // Later sweeps find the jobs done and arm nothing more: one breach, one expiry.
    await new Promise((r) => setTimeout(r, 1500));
    const count = async (entityId: string, action: string) =>
      (
        await t.hub.db
          .select()
          .from(auditLog)
          .where(and(eq(auditLog.entityId, entityId), eq(auditLog.action, action)))
      ).length;
    expect(await count(lead.body.id, "inquiry.sla_breached")).toBe(1);
    expect(await count(held.body.id, "booking.expired")).toBe(1);
  }, 40_000);
});
