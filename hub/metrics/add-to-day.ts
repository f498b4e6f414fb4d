// The one writer of inquiry_metrics_daily rows as events come: adds to a day's figures, creating the row at first.
import { sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { type InquirySource, inquiryMetricsDaily } from "../../db/schema";

/** What one event adds to a (London date, source) row; revenue in minor units (pence), negative for a refund. */
export interface DayFigures {
  totalCount?: number;
  convertedCount?: number;
  revenue?: number;
  noShowCount?: number;
}

export async function addToDay(tx: Executor, dateLondon: string, source: InquirySource, add: DayFigures) {
  const t = inquiryMetricsDaily;
  await tx
    .insert(t)
    .values({
      dateLondon,
      source,
      totalCount: add.totalCount ?? 0,
      convertedCount: add.convertedCount ?? 0,
      revenue: add.revenue ?? 0,
      noShowCount: add.noShowCount ?? 0,
    })
    .onConflictDoUpdate({
      target: [t.dateLondon, t.source],
      set: {
        totalCount: sql`${t.totalCount} + excluded.total_count`,
        convertedCount: sql`${t.convertedCount} + excluded.converted_count`,
        revenue: sql`${t.revenue} + excluded.revenue`,
        noShowCount: sql`${t.noShowCount} + excluded.no_show_count`,
      },
    });
}
