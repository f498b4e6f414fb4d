// RETENTION_MONTHS through the job queue, on whichever job driver the run uses: the daily run at 03:00 London time
// erases a client with no inquiry, message or booking for 24 months, keeps one whose booking is within them, skips one
// whose booking is still live, reports how many (a log line and an audit entry) and arms the next day's run.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { retentionTimer } from "../../../hub/clients";
import { holdJobId } from "../../../hub/bookings/timers";
import { BOOKINGS_QUEUE, PRIVACY_QUEUE } from "../../../hub/core/jobs/queues";
import { createLogger } from "../../../hub/core/logger";
import { addDays, addMonths, fromLondonWall, londonDate } from "../../../hub/core/time";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { startHub, type TelegramTestHub } from "../../support/hub";

const POLL = { timeout: 30_000, interval: 100 };
const MINUTE = 60_000;

// The hub's clock is the real one until the test moves it on by two years and a month, to just before a 03:00 run.
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe("the retention run", () => {
  let t: TelegramTestHub;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await startHub({
      telegram: true,
      overrides: { now: clock, logger: createLogger("info", { write: (line: string) => void lines.push(line) }) },
      env: { TIMER_SWEEP_SECONDS: "0.5" },
    });
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  /** A web-form lead and a booking of it held from `start` for an hour. */
  const booked = async (email: string, start: Date) => {
    const lead = await api("POST", "/inquiries", { source: "web_form", client: { email } });
    const room = await api("POST", "/resources", { name: `Room for ${email}`, capacity: 4 });
    const booking = await api("POST", "/bookings", {
      inquiry_id: lead.id,
      resource_id: room.id,
      start_at: start.toISOString(),
      duration_minutes: 60,
      deposit_amount: 0,
    });
    return { lead, booking };
  };
  const erasures = (clientId: string) =>
    t.rows<{ actor_id: string | null; actor_kind: string; after: Record<string, unknown> }>(
      sql`select actor_id::text, actor_kind, after from audit_log where action = 'client.erased' and entity_id = ${clientId}`,
    );

  it("erases the clients idle for RETENTION_MONTHS at 03:00, skips a live booking's, and reports how many", async () => {
    // Idle from now on: a Telegram lead nobody booked.
    const chat = newChatId();
    await t.telegram.post(textUpdate({ chatId: chat, messageId: 1, firstName: "Old" }, "Any tables next year?"));
    const [stale] = await t.rows<{ id: string; client_id: string }>(
      sql`select id::text, client_id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    // Active within the period: a booking that ends 26 months from now (held, then cancelled).
    const later = new Date(Date.now() + 26 * 31 * 24 * 60 * MINUTE);
    const fresh = await booked("fresh@example.com", later);
    await api("POST", `/bookings/${fresh.booking.id}/cancel`, { reason: "changed plans" });
    // Idle too, but its booking is still held: the contract is not over, so it is not erased yet.
    const busy = await booked("busy@example.com", new Date(Date.now() + 120 * MINUTE));

    // Everything those leads set off is done (acknowledgements sent, the hold's timer armed for real time), so that
    // nothing of theirs happens on the moved clock.
    await expect.poll(() => t.hub.jobs.state(BOOKINGS_QUEUE, holdJobId(busy.booking.id)), POLL).toBe("delayed");
    await expect
      .poll(async () => (await t.rows(sql`select 1 from outbox_events where processed_at is null`)).length, POLL)
      .toBe(0);

    // Two years and a month on, seconds before the day's run.
    const runDate = addMonths(londonDate(new Date()), 25);
    const [year, month, day] = runDate.split("-").map(Number) as [number, number, number];
    const runAt = fromLondonWall({ year, month, day, hour: 3, minute: 0, second: 0, millisecond: 0 });
    ahead = runAt.getTime() - 2000 - Date.now();

    const runs = () =>
      t.rows<{ after: Record<string, unknown>; actor_kind: string }>(
        sql`select after, actor_kind from audit_log where action = 'clients.retention_run' and entity_id = ${runDate}`,
      );
    await expect.poll(async () => (await runs()).length, POLL).toBe(1);
    const [run] = await runs();
    expect(run).toMatchObject({ actor_kind: "system", after: { months: 24, erased: 1, skipped: 1 } });
    expect(run!.after.cutoff).toMatch(new RegExp(`^${addMonths(runDate, -24)}T00:00:00\\.000\\+0[01]:00$`));

    // The idle client is erased, by the system, its open inquiry closed; the others are as they were.
    expect(await erasures(stale!.client_id)).toEqual([
      { actor_id: null, actor_kind: "system", after: expect.objectContaining({ cause: "retention", identities: 1 }) },
    ]);
    const exported = await api("GET", `/clients/${stale!.client_id}/export`);
    expect(exported.client).toMatchObject({ name: null });
    expect(exported.erasure).toMatchObject({ erased_by: null, cause: "retention" });
    expect(exported.identities).toEqual([]);
    expect(exported.inquiries[0]).toMatchObject({ status: "closed", message: null });
    for (const kept of [fresh, busy]) {
      expect(await erasures(kept.lead.client_id)).toEqual([]);
      expect(await t.rows(sql`select 1 from client_identities where client_id = ${kept.lead.client_id}`)).toHaveLength(
        1,
      );
    }

    // Reported in the log, the skipped client named with the reason.
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; clientId?: string; reasons?: string[] });
    expect(logged.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(/^retention: erased 1 client\(s\) with no inquiry, message or booking since /),
    );
    expect(logged.find((l) => l.clientId === busy.lead.client_id)?.reasons).toEqual([
      expect.stringMatching(new RegExp(`^${busy.booking.reference} is held`)),
    ]);
    // The next day's run is waiting in the queue.
    await expect
      .poll(() => t.hub.jobs.state(PRIVACY_QUEUE, retentionTimer.jobId(addDays(runDate, 1))), POLL)
      .toBe("delayed");
  });
});
