// The daily report: one item per London date and source in a range, zeros included, and the range's totals.
import { and, eq, gte, lte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { INQUIRY_SOURCES, type InquirySource, inquiryMetricsDaily } from "../../db/schema";
import { invalid } from "../core/errors";
import { addDays, londonDate, parseApiDate } from "../core/time";
import type { DateRange } from "./rebuild";

/** The longest range a report covers, in days (a leap year). */
export const MAX_REPORT_DAYS = 366;
/** The range when none is given: the last 30 London days, today included. */
export const DEFAULT_REPORT_DAYS = 30;

export interface ReportFigures {
  total_count: number;
  converted_count: number;
  /** converted ÷ total to 4 decimals; null when no inquiry came (a day's conversions may be of earlier inquiries). */
  conversion_rate: number | null;
  /** Net, in minor units (pence). */
  revenue: number;
  /** Bookings marked no-show, on the London date of their start. */
  no_show_count: number;
}

export interface DailyReport {
  from: string;
  to: string;
  source: InquirySource | null;
  items: (ReportFigures & { date_london: string; source: InquirySource })[];
  totals: ReportFigures;
}

/** Days from `from` to `to`, both included. */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/**
 * Checks a requested range (absent ends take the default) and answers it, or throws `invalid` naming the field: a
 * date that is not one (2027-02-30), from after to, more than MAX_REPORT_DAYS days.
 */
export function reportRange(asked: { from?: string; to?: string }, now: Date): DateRange {
  const date = (field: "from" | "to", text: string) => {
    const parsed = parseApiDate(text);
    if (!parsed) throw invalid(field, `"${text}" is not a date (YYYY-MM-DD, a day that exists)`);
    return parsed;
  };
  const to = asked.to !== undefined ? date("to", asked.to) : londonDate(now);
  const from = asked.from !== undefined ? date("from", asked.from) : addDays(to, 1 - DEFAULT_REPORT_DAYS);
  if (from > to) throw invalid("from", `${from} is after to (${to})`);
  const days = daysBetween(from, to);
  if (days > MAX_REPORT_DAYS) throw invalid("to", `the range is ${days} days; at most ${MAX_REPORT_DAYS}`);
  return { from, to };
}

const rate = (converted: number, total: number) =>
  total === 0 ? null : Math.round((converted / total) * 10_000) / 10_000;

const figures = (total: number, converted: number, revenue: number, noShows: number): ReportFigures => ({
  total_count: total,
  converted_count: converted,
  conversion_rate: rate(converted, total),
  revenue,
  no_show_count: noShows,
});

export async function dailyReport(
  db: Executor,
  range: DateRange,
  source: InquirySource | null = null,
): Promise<DailyReport> {
  const t = inquiryMetricsDaily;
  const rows = await db
    .select()
    .from(t)
    .where(and(gte(t.dateLondon, range.from), lte(t.dateLondon, range.to), source ? eq(t.source, source) : undefined));
  const kept = new Map(rows.map((r) => [`${r.dateLondon}|${r.source}`, r]));
  const sources = source ? [source] : INQUIRY_SOURCES;
  const items: DailyReport["items"] = [];
  for (let date = range.from; date <= range.to; date = addDays(date, 1)) {
    for (const s of sources) {
      const r = kept.get(`${date}|${s}`);
      items.push({
        date_london: date,
        source: s,
        ...figures(r?.totalCount ?? 0, r?.convertedCount ?? 0, r?.revenue ?? 0, r?.noShowCount ?? 0),
      });
    }
  }
  const sum = (pick: (i: ReportFigures) => number) => items.reduce((n, i) => n + pick(i), 0);
  return {
    ...range,
    source,
    items,
    totals: figures(
      sum((i) => i.total_count),
      sum((i) => i.converted_count),
      sum((i) => i.revenue),
      sum((i) => i.no_show_count),
    ),
  };
}

/** Pence as pounds with two decimals, for spreadsheets: -2550 → "-25.50". */
export function pounds(pence: number): string {
  const sign = pence < 0 ? "-" : "";
  const abs = Math.abs(pence);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** no_show_count came last, after the columns spreadsheets already read by position. */
const CSV_HEADER = "date_london,source,total_count,converted_count,conversion_rate,revenue_gbp,no_show_count";

/** The report's items as CSV (RFC 4180 line ends); an empty rate cell where no inquiry came. */
export function dailyReportCsv(report: DailyReport): string {
  const lines = report.items.map((i) =>
    [
      i.date_london,
      i.source,
      i.total_count,
      i.converted_count,
      i.conversion_rate ?? "",
      pounds(i.revenue),
      i.no_show_count,
    ].join(","),
  );
  return `${[CSV_HEADER, ...lines].join("\r\n")}\r\n`;
}

export const reportFileName = (report: Pick<DailyReport, "from" | "to" | "source">) =>
  `daily-report-${report.from}-to-${report.to}${report.source ? `-${report.source}` : ""}.csv`;
