// Daily metrics per London date and source: the subscribers that keep them, the rebuild, the report.
import type { EventBus } from "../core/events/bus";
import { countInquiries } from "./count-inquiries";
import { countNoShows } from "./count-no-shows";
import { countConversions, countDuplicatePayments, countRefunds } from "./count-payments";

/** Subscribes everything that keeps inquiry_metrics_daily from events. */
export function subscribeMetrics(bus: EventBus): void {
  bus.subscribe(countInquiries);
  bus.subscribe(countConversions);
  bus.subscribe(countDuplicatePayments);
  bus.subscribe(countRefunds);
  bus.subscribe(countNoShows);
}

export { countInquiries } from "./count-inquiries";
export {
  DEFAULT_REPORT_DAYS,
  type DailyReport,
  MAX_REPORT_DAYS,
  type ReportFigures,
  dailyReport,
  dailyReportCsv,
  pounds,
  reportFileName,
  reportRange,
} from "./daily-report";
export { type DateRange, type DayRow, computeDays, historyRange, rebuildMetrics } from "./rebuild";
export { rebuildArgs } from "./rebuild-args";
