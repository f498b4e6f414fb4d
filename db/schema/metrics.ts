// Daily inquiry metrics per source, dated in London time (hard rule 11).
import { bigint, date, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { inquirySource } from "./enums";

export const inquiryMetricsDaily = pgTable(
  "inquiry_metrics_daily",
  {
    dateLondon: date("date_london", { mode: "string" }).notNull(),
    source: inquirySource("source").notNull(),
    totalCount: integer("total_count").notNull().default(0),
    convertedCount: integer("converted_count").notNull().default(0),
    /** Net revenue in minor units (pence): paid amounts on their paid date minus refunds on theirs; may be negative. */
    revenue: bigint("revenue", { mode: "number" }).notNull().default(0),
    /** Bookings marked no-show, on the London date of the booking's start. */
    noShowCount: integer("no_show_count").notNull().default(0),
  },
  // The primary key is the (date_london, source) index the reports read.
  (t) => [primaryKey({ name: "inquiry_metrics_daily_date_london_source_pk", columns: [t.dateLondon, t.source] })],
);
