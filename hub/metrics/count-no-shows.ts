// Keeps inquiry_metrics_daily.no_show_count from `booking.no_show`, on the London date of the booking's start: the day
// the customer was expected, whenever staff marked it (the rebuild reads the same date from the booking).
import type { Subscriber } from "../core/events/bus";
import { londonDate } from "../core/time";
import { addToDay } from "./add-to-day";

export const countNoShows: Subscriber<"booking.no_show"> = {
  name: "metrics.count-no-shows",
  type: "booking.no_show",
  async handle(event, tx) {
    await addToDay(tx, londonDate(new Date(event.payload.starts_at)), event.payload.source, { noShowCount: 1 });
  },
};
