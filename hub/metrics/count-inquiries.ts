// Keeps inquiry_metrics_daily.total_count in step with new inquiries, dated by the London day they arrived.
import { sql } from "drizzle-orm";
import { inquiryMetricsDaily } from "../../db/schema";
import type { Subscriber } from "../core/events/bus";
import { londonDate } from "../core/time";

export const countInquiries: Subscriber<"inquiry.created"> = {
  name: "metrics.count-inquiries",
  type: "inquiry.created",
  async handle(event, tx) {
    await tx
      .insert(inquiryMetricsDaily)
      .values({
        dateLondon: londonDate(new Date(event.payload.received_at)),
        source: event.payload.source,
        totalCount: 1,
      })
      .onConflictDoUpdate({
        target: [inquiryMetricsDaily.dateLondon, inquiryMetricsDaily.source],
        set: { totalCount: sql`${inquiryMetricsDaily.totalCount} + 1` },
      });
  },
};
