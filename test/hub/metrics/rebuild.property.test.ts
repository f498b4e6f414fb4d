// The incremental table (events through the bus, some delivered twice, in shuffled order) equals a rebuild from the
// source tables, and both equal an oracle worked out from the generated facts, across both 2027 clock changes.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import type { DatabaseHandle } from "../../../db/client";
import { inquiryMetricsDaily } from "../../../db/schema";
import { EventBus } from "../../../hub/core/events/bus";
import type { HubEvent } from "../../../hub/core/events/types";
import type { Job } from "../../../hub/core/jobs/driver";
import { historyRange, rebuildMetrics, subscribeMetrics } from "../../../hub/metrics";
import { openTestDatabase } from "../../support/database";
import { expectedDays, seeded, writeHistory } from "../../support/metrics-history";

const SEED = Number(process.env.METRICS_SEED ?? 20270328);
const INQUIRIES = 2000;

const job = (event: HubEvent): Job<HubEvent> => ({
  id: event.id,
  queue: "events",
  name: event.type,
  data: event,
  attempt: 1,
  maxAttempts: 5,
});

describe(`metrics: incremental equals rebuild (seed ${SEED}, ${INQUIRIES} inquiries)`, () => {
  let database: DatabaseHandle;
  let history: Awaited<ReturnType<typeof writeHistory>>;

  const table = async () =>
    (
      await database.db
        .select()
        .from(inquiryMetricsDaily)
        .orderBy(asc(inquiryMetricsDaily.dateLondon), asc(inquiryMetricsDaily.source))
    )
      .map((r) => ({
        date_london: r.dateLondon,
        source: r.source,
        total_count: r.totalCount,
        converted_count: r.convertedCount,
        revenue: r.revenue,
        no_show_count: r.noShowCount,
      }))
      // As the oracle sorts: by date, then source name (the database orders an enum by its declaration).
      .sort((a, b) => `${a.date_london}|${a.source}`.localeCompare(`${b.date_london}|${b.source}`));

  beforeAll(async () => {
    database = await openTestDatabase();
    history = await writeHistory(database.db, SEED, INQUIRIES);
    const bus = new EventBus(database.db, pino({ level: "silent" }));
    subscribeMetrics(bus);
    // Delivered in any order, a tenth of them twice: each counts once.
    const r = seeded(SEED + 1);
    const deliveries = [...history.events, ...history.events.filter(() => r.chance(0.1))];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
    }
    for (const event of deliveries) await bus.dispatch(job(event));
  }, 600_000);

  afterAll(() => database?.close());

  it("keeps every London day as the facts say, each event once", async () => {
    const kinds = new Set(history.events.map((e) => e.type));
    expect(kinds).toEqual(
      new Set(["inquiry.created", "payment.paid", "payment.duplicate", "payment.refunded", "booking.no_show"]),
    );
    const incremental = await table();
    expect(incremental).toEqual(expectedDays(history.facts));
    // The clock-change days are there, with the lost and the doubled hour's inquiries on their London dates.
    const days = new Set(incremental.map((d) => d.date_london));
    for (const day of ["2027-03-27", "2027-03-28", "2027-03-29", "2027-10-30", "2027-10-31", "2027-11-01"])
      expect(days).toContain(day);
    expect(incremental.some((d) => d.revenue < 0 || d.converted_count > 0)).toBe(true);
    expect(incremental.some((d) => d.no_show_count > 0)).toBe(true);
  });

  it("is rebuilt to exactly the same rows, for the whole history and for a part of it", async () => {
    const incremental = await table();
    const all = await historyRange(database.db, new Date("2027-12-01T12:00:00Z"));
    expect(all.from <= "2027-03-26" && all.to === "2027-12-01").toBe(true);
    // Scribble over the table first: the rebuild must not depend on what was there.
    await database.db.update(inquiryMetricsDaily).set({ totalCount: 999, revenue: -1 });
    await rebuildMetrics(database.db, all);
    expect(await table()).toEqual(incremental);

    await database.db.update(inquiryMetricsDaily).set({ convertedCount: 777 });
    await rebuildMetrics(database.db, { from: "2027-10-31", to: "2027-10-31" });
    const after = await table();
    expect(after.filter((d) => d.date_london === "2027-10-31")).toEqual(
      incremental.filter((d) => d.date_london === "2027-10-31"),
    );
    // Days outside the range are left as they were.
    expect(after.filter((d) => d.date_london !== "2027-10-31").every((d) => d.converted_count === 777)).toBe(true);
    await rebuildMetrics(database.db, all);
    expect(await table()).toEqual(incremental);
  });
});
