// No-shows and completed bookings through the API, on whichever job driver the run uses: a no-show refused before the
// start and recorded after it with the Stripe deposit kept and counted in the reports; a confirmed booking completed by
// its timer at its end, once; a timer the queue lost armed again by the sweep; the console's day showing both.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outboxEvents } from "../../../db/schema";
import { completionTimer } from "../../../hub/bookings/completion";
import { BOOKINGS_QUEUE } from "../../../hub/core/jobs/queues";
import { londonDate } from "../../../hub/core/time";
import { signInByRequest } from "../../support/console";
import { startHub, type TestHub } from "../../support/hub";
import type { PaymentSetup } from "../../support/setup/payments";

const POLL = { timeout: 20_000, interval: 50 };
const MINUTE = 60_000;

// The hub's clock is the real one until a test moves it on: a booking's start then passes without waiting for it.
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe("no-shows and completed bookings", () => {
  let t: TestHub<{ payments: PaymentSetup }>;
  let operator: { id: string; key: string };
  let n = 0;

  beforeAll(async () => {
    t = await startHub({
      payments: {},
      overrides: { now: clock },
      env: { BOOKING_HOLD_MINUTES: "600", TIMER_SWEEP_SECONDS: "0.5" },
    });
    operator = await t.createUser("operator");
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown, key = operator.key) => {
    const res = await t.request(method, path, { key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** A web-form lead, a room of its own, and a booking held from `start` to `end` (hub clock, ISO with Z). */
  const held = async (start: Date, end: Date, deposit = 0) => {
    const lead = await api("POST", "/inquiries", { source: "web_form", client: { email: `ns${++n}@example.com` } });
    const room = await api("POST", "/resources", { name: `No-show room ${n}`, capacity: 6 }, t.adminKey);
    return api("POST", "/bookings", {
      inquiry_id: lead.id,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: end.toISOString(),
      party_size: 2,
      deposit_amount: deposit,
    });
  };
  const status = async (id: string) => (await api("GET", `/bookings/${id}`)).status as string;
  const events = async (id: string) =>
    (
      await t.hub.db
        .select({ type: outboxEvents.type })
        .from(outboxEvents)
        .where(eq(outboxEvents.aggregateId, id))
        .orderBy(outboxEvents.createdAt)
    ).map((e) => e.type);
  const audits = (id: string, action: string) =>
    t.hub.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, action)));
  const completionJob = (id: string) => t.hub.jobs.state(BOOKINGS_QUEUE, completionTimer.jobId(id));
  const day = async (date: string) =>
    (await api("GET", `/reports/daily?from=${date}&to=${date}&source=web_form`, undefined, t.adminKey)).items[0];

  it("refuses a no-show before the start, records one after it with the paid deposit kept, and counts it", async () => {
    const today = londonDate(clock());
    const start = new Date(clock().getTime() + 60 * MINUTE);
    const booking = await held(start, new Date(start.getTime() + 60 * MINUTE), 2500);
    await api("POST", `/bookings/${booking.id}/accept`);
    const [attempt] = await t.payments.attempts(booking.id, 1);
    await t.payments.stripe!.pay(attempt.provider_payment_id);
    const paid = await t.payments.webhook("stripe", t.payments.stripe!.webhook("paid", attempt.provider_payment_id));
    expect(paid.status).toBe(200);
    await expect.poll(() => status(booking.id), POLL).toBe("confirmed");
    // Confirmed: its completion timer waits for the end.
    await expect.poll(() => completionJob(booking.id), POLL).toBe("delayed");

    const early = await t.request("POST", `/bookings/${booking.id}/no-show`, { key: operator.key });
    expect(early.status).toBe(409);
    expect(early.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(early.body.detail).toMatch(
      new RegExp(`^${booking.reference} starts at .+: a no-show can be recorded only after its start\\.$`),
    );
    expect(await status(booking.id)).toBe("confirmed");

    ahead += 90 * MINUTE; // half-way through the booking, and nobody came
    const marked = await t.request("POST", `/bookings/${booking.id}/no-show`, { key: operator.key });
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({ id: booking.id, status: "no_show" });

    const [audit] = await audits(booking.id, "booking.no_show");
    expect(audit).toMatchObject({
      actorId: operator.id,
      before: { status: "confirmed" },
      after: { status: "no_show", reason: "the customer did not come; the deposit of £25.00 is kept" },
    });
    expect(await events(booking.id)).toEqual([
      "booking.held",
      "booking.awaiting_deposit",
      "booking.confirmed",
      "booking.no_show",
    ]);
    // The deposit stays paid: no refund was asked for, at Stripe or anywhere.
    const payments = await t.payments.list(booking.id);
    expect(payments.map((p) => [p.type, p.status])).toEqual([["deposit", "paid"]]);
    // The completion timer is gone; the inquiry stays booked.
    await expect.poll(() => completionJob(booking.id), POLL).toBeUndefined();
    expect((await api("GET", `/inquiries/${booking.inquiry_id}`)).status).toBe("booked");

    // Counted on the London date of the start; the revenue (on the paid date: today, or the day before) as it was.
    const date = londonDate(start);
    await expect.poll(async () => (await day(date)).no_show_count, POLL).toBe(1);
    const range = await api("GET", `/reports/daily?from=${today}&to=${date}&source=web_form`, undefined, t.adminKey);
    expect(range.totals).toMatchObject({ no_show_count: 1, converted_count: 1, revenue: 2500 });
    const csv = await t.request("GET", `/reports/daily?from=${date}&to=${date}&source=web_form`, {
      headers: { Accept: "text/csv" },
    });
    const [header, line] = (csv.body as string).trimEnd().split("\r\n");
    expect(header).toBe("date_london,source,total_count,converted_count,conversion_rate,revenue_gbp,no_show_count");
    expect(line).toMatch(new RegExp(`^${date},web_form,.*,1$`));

    // Once only: a second no-show, or one of a booking that never was confirmed, is a conflict.
    const again = await t.request("POST", `/bookings/${booking.id}/no-show`, { key: operator.key });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(`${booking.reference} is no_show; it cannot become no_show.`);
    const other = await held(new Date(clock().getTime() + MINUTE), new Date(clock().getTime() + 30 * MINUTE));
    const notConfirmed = await t.request("POST", `/bookings/${other.id}/no-show`, { key: operator.key });
    expect(notConfirmed.status).toBe(409);
    expect(notConfirmed.body.detail).toBe(`${other.reference} is held; it cannot become no_show.`);
    expect((await t.request("POST", `/bookings/${booking.id}/no-show`, { key: null })).status).toBe(401);
    expect((await t.request("POST", "/bookings/BKG-999999/no-show", { key: operator.key })).status).toBe(404);
    expect((await api("GET", "/bookings?status=no_show")).items.map((b: { id: string }) => b.id)).toContain(booking.id);
  }, 60_000);

  it("completes a confirmed booking by its timer at its end, once; a no-show may still correct it", async () => {
    const start = new Date(clock().getTime() + 1500);
    const booking = await held(start, new Date(start.getTime() + 1500));
    expect((await api("POST", `/bookings/${booking.id}/accept`)).status).toBe("confirmed");
    await expect.poll(() => status(booking.id), POLL).toBe("completed");
    const [audit] = await audits(booking.id, "booking.completed");
    expect(audit!.actorId).toBeNull();
    // Not before the end (a timer a little early waits for its retry).
    expect(audit!.at.getTime() + ahead).toBeGreaterThanOrEqual(new Date(booking.end_at).getTime() - 1000);
    // Later sweeps find the booking completed and arm nothing more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await events(booking.id)).toEqual(["booking.held", "booking.confirmed", "booking.completed"]);

    // Staff find out the next morning that nobody came.
    expect(await api("POST", `/bookings/${booking.id}/no-show`)).toMatchObject({ status: "no_show" });
    await expect.poll(async () => (await day(londonDate(start))).no_show_count, POLL).toBeGreaterThanOrEqual(1);
  }, 40_000);

  it("arms again from the database a completion timer the queue lost, and completes a booking already over", async () => {
    const start = new Date(clock().getTime() + 10 * MINUTE);
    const booking = await held(start, new Date(start.getTime() + 20 * MINUTE));
    await api("POST", `/bookings/${booking.id}/accept`);
    await expect.poll(() => completionJob(booking.id), POLL).toBe("delayed");
    // The booking's end passes while its job is still delayed for real time; then the job vanishes (a Redis that lost
    // its keys). The clock moves first, so the sweep cannot arm it again for the old delay.
    ahead += 60 * MINUTE;
    expect(await t.hub.jobs.cancel(BOOKINGS_QUEUE, completionTimer.jobId(booking.id))).toBe(true);
    await expect.poll(() => status(booking.id), POLL).toBe("completed");
    expect((await audits(booking.id, "booking.completed")).length).toBe(1);
    // The console's day shows it as taken place.
    const session = await signInByRequest(t.hub, operator.key);
    const html = await (await session.request("GET", `/console/bookings?date=${londonDate(start)}`)).text();
    expect(html).toMatch(new RegExp(`<span class="tag">Completed</span>(?:(?!</li>).)*${booking.reference}`, "s"));
  }, 40_000);

  it("shows completed and no-show bookings on the console's day, and marks a no-show from there", async () => {
    const start = new Date(clock().getTime() + 60 * MINUTE);
    const booking = await held(start, new Date(start.getTime() + 30 * MINUTE));
    await api("POST", `/bookings/${booking.id}/accept`);
    const session = await signInByRequest(t.hub, operator.key);
    const date = londonDate(start);
    const page = async () => (await session.request("GET", `/console/bookings?date=${date}`)).text();
    // Before the start there is nothing to mark.
    expect(await page()).not.toContain(`Mark no-show: ${booking.reference}`);
    const refused = await session.request("POST", `/console/bookings/${booking.id}/no-show`, {
      form: { _csrf: session.csrf },
    });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("a no-show can be recorded only after its start");

    ahead += 70 * MINUTE;
    expect(await page()).toContain(`aria-label="Mark no-show: ${booking.reference}"`);
    const marked = await session.request("POST", `/console/bookings/${booking.id}/no-show`, {
      form: { _csrf: session.csrf },
    });
    expect(marked.status).toBe(303);
    expect(marked.headers.get("location")).toBe(`/console/bookings?date=${date}`);
    const after = await session.request("GET", `/console/bookings?date=${date}`, {
      headers: {
        Cookie: `${session.cookie}; ${marked.headers
          .getSetCookie()
          .map((c) => c.split(";")[0])
          .join("; ")}`,
      },
    });
    const html = await after.text();
    expect(html).toContain(`${booking.reference} is marked a no-show; the deposit is kept.`);
    expect(html).toContain('<span class="tag critical">No-show</span>');
    expect(html).not.toContain(`Mark no-show: ${booking.reference}`);
    expect(await status(booking.id)).toBe("no_show");
    const [row] = await t.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${booking.id} and action = 'booking.no_show'`,
    );
    expect(row!.n).toBe(1);
  }, 40_000);
});
