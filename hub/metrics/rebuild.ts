// Recomputes inquiry_metrics_daily for a range of London dates from the source tables (inquiries, payments, no-show
// bookings), in one transaction: the range's rows are deleted and written again. The same rules as the subscribers
// (money-rules.ts, count-no-shows.ts), so on a quiet hub the rebuild equals what the events kept.
import { and, asc, eq, gte, inArray, isNotNull, lt, min, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { type InquirySource, bookings, inquiries, inquiryMetricsDaily, payments } from "../../db/schema";
import { minorAmount } from "../../payments";
import { addDays, atLondon, londonDate } from "../core/time";
import { isMoneyBack, isPaidAttempt, paymentWithLead } from "./money-rules";

export interface DateRange {
  /** London dates, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
}

export interface DayRow {
  dateLondon: string;
  source: InquirySource;
  totalCount: number;
  convertedCount: number;
  revenue: number;
  noShowCount: number;
}

/** The instant a London date starts. */
const startOf = (date: string) => atLondon(date, "00:00");

/** The figures of every (date, source) the range's source rows touch, computed from those rows alone. */
export async function computeDays(tx: Executor, range: DateRange): Promise<DayRow[]> {
  const start = startOf(range.from);
  const end = startOf(addDays(range.to, 1));
  const days = new Map<string, DayRow>();
  const add = (at: Date, source: InquirySource, figures: Partial<DayRow>) => {
    const dateLondon = londonDate(at);
    const key = `${dateLondon}|${source}`;
    const row = days.get(key) ?? { dateLondon, source, totalCount: 0, convertedCount: 0, revenue: 0, noShowCount: 0 };
    row.totalCount += figures.totalCount ?? 0;
    row.convertedCount += figures.convertedCount ?? 0;
    row.revenue += figures.revenue ?? 0;
    row.noShowCount += figures.noShowCount ?? 0;
    days.set(key, row);
  };

  const received = await tx
    .select({ source: inquiries.source, receivedAt: inquiries.receivedAt })
    .from(inquiries)
    .where(and(gte(inquiries.receivedAt, start), lt(inquiries.receivedAt, end)));
  for (const i of received) add(i.receivedAt, i.source, { totalCount: 1 });

  const paid = await paymentWithLead(tx).where(
    and(isPaidAttempt, gte(payments.paidAt, start), lt(payments.paidAt, end)),
  );
  for (const p of paid) add(p.paidAt!, p.source, { revenue: minorAmount(p) });

  // Each inquiry's first payment (paid_at, then id), for the inquiries paid in the range.
  const paidInquiries = [...new Set(paid.map((p) => p.inquiryId))];
  if (paidInquiries.length > 0) {
    const firsts = await tx
      .selectDistinctOn([bookings.inquiryId], { paidAt: payments.paidAt, source: inquiries.source })
      .from(payments)
      .innerJoin(bookings, sql`${bookings.id} = ${payments.bookingId}`)
      .innerJoin(inquiries, sql`${inquiries.id} = ${bookings.inquiryId}`)
      .where(and(isPaidAttempt, inArray(bookings.inquiryId, paidInquiries)))
      .orderBy(asc(bookings.inquiryId), asc(payments.paidAt), asc(payments.id));
    for (const f of firsts) if (f.paidAt! >= start && f.paidAt! < end) add(f.paidAt!, f.source, { convertedCount: 1 });
  }

  const back = await paymentWithLead(tx).where(
    and(isMoneyBack, isNotNull(payments.refundedAt), gte(payments.refundedAt, start), lt(payments.refundedAt, end)),
  );
  for (const r of back) add(r.refundedAt!, r.source, { revenue: -minorAmount(r) });

  // No-shows on the London date of the booking's start, as count-no-shows.ts counts them.
  const missed = await tx
    .select({ startsAt: bookings.startsAt, source: inquiries.source })
    .from(bookings)
    .innerJoin(inquiries, eq(inquiries.id, bookings.inquiryId))
    .where(and(eq(bookings.status, "no_show"), gte(bookings.startsAt, start), lt(bookings.startsAt, end)));
  for (const b of missed) add(b.startsAt, b.source, { noShowCount: 1 });

  return [...days.values()];
}

/**
 * Deletes and writes again the rows of the range. The table is locked for the transaction, so no subscriber adds to
 * a row between the delete and the insert; an event still waiting in the outbox is counted again when its subscriber
 * runs (run the rebuild when the outbox is drained).
 */
export async function rebuildMetrics(db: Database, range: DateRange): Promise<{ rows: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${inquiryMetricsDaily} in share row exclusive mode`);
    const rows = await computeDays(tx, range);
    await tx
      .delete(inquiryMetricsDaily)
      .where(
        and(gte(inquiryMetricsDaily.dateLondon, range.from), lt(inquiryMetricsDaily.dateLondon, addDays(range.to, 1))),
      );
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(inquiryMetricsDaily).values(rows.slice(i, i + 1000));
    return { rows: rows.length };
  });
}

/** From the London date of the oldest source row (or kept row) to today: the whole history, for a rebuild of all. */
export async function historyRange(db: Executor, now: Date): Promise<DateRange> {
  const [received] = await db.select({ at: min(inquiries.receivedAt) }).from(inquiries);
  const [money] = await db.select({ paid: min(payments.paidAt), back: min(payments.refundedAt) }).from(payments);
  const [kept] = await db.select({ day: min(inquiryMetricsDaily.dateLondon) }).from(inquiryMetricsDaily);
  const [missed] = await db
    .select({ at: min(bookings.startsAt) })
    .from(bookings)
    .where(eq(bookings.status, "no_show"));
  const to = londonDate(now);
  const instants = [received?.at, money?.paid, money?.back, missed?.at].filter((at): at is Date => at instanceof Date);
  const days = [...instants.map((at) => londonDate(at)), kept?.day ?? to, to].sort();
  return { from: days[0]!, to };
}
