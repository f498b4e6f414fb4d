// The availability widget: active bookings not yet over that their resource can no longer take (a block added,
// opening hours changed, the resource made inactive or smaller since they were made).
import { type Finding, judge, type Widget } from "./widget";

export interface AvailabilityFigures {
  /** Bookings with at least one mismatch (GET /availability/mismatches lists them). */
  mismatched_bookings: number;
}

/** Any such booking needs a person: the customer expects a slot the business cannot give. */
const MISMATCHES_WARN = 1;

export function availabilityWidget(f: AvailabilityFigures): Widget<AvailabilityFigures> {
  const findings: Finding[] =
    f.mismatched_bookings >= MISMATCHES_WARN
      ? [
          {
            status: "warn",
            says: `${f.mismatched_bookings} active booking(s) their resource can no longer take (GET /availability/mismatches)`,
          },
        ]
      : [];
  return judge(findings, "Every active booking still fits its resource.", f, { mismatches_warn: MISMATCHES_WARN });
}
