// Keeps inquiry_metrics_daily.total_count in step with new inquiries, dated by the London day they arrived.
import type { Subscriber } from "../core/events/bus";
import { londonDate } from "../core/time";
import { addToDay } from "./add-to-day";

export const countInquiries: Subscriber<"inquiry.created"> = {
  name: "metrics.count-inquiries",
  type: "inquiry.created",
  async handle(event, tx) {
    await addToDay(tx, londonDate(new Date(event.payload.received_at)), event.payload.source, { totalCount: 1 });
  },
};
