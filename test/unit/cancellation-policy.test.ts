// The cancellation policy's one rule, without a database: a paid deposit is refunded in full when the booking is
// cancelled at least CANCELLATION_FULL_REFUND_HOURS before its start, in real elapsed time; later, it is kept.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policyRefund } from "../../hub/bookings/cancellation";
import { atLondon } from "../../hub/core/time";

const HOUR = 3_600_000;
const policy = { fullRefundHours: 48 };

describe("the cancellation policy", () => {
  const start = new Date("2027-03-05T19:00:00Z");

  it("refunds in full at exactly the limit and before it, and keeps the deposit a millisecond later", () => {
    expect(policyRefund({ startsAt: start }, new Date(start.getTime() - 72 * HOUR), policy)).toBe("full");
    expect(policyRefund({ startsAt: start }, new Date(start.getTime() - 48 * HOUR), policy)).toBe("full");
    expect(policyRefund({ startsAt: start }, new Date(start.getTime() - 48 * HOUR + 1), policy)).toBe("none");
    expect(policyRefund({ startsAt: start }, new Date(start.getTime() - 2 * HOUR), policy)).toBe("none");
    // After the start (staff cancelling late): nothing is owed back either.
    expect(policyRefund({ startsAt: start }, new Date(start.getTime() + HOUR), policy)).toBe("none");
  });

  it("counts real hours across the spring clock change: 48 h before 19:00 on Mon 29 Mar 2027 is 18:00 on Saturday", () => {
    // 28 Mar 2027 01:00 GMT the clocks go forward: Saturday 19:00 GMT to Monday 19:00 BST is 47 real hours.
    const monday = atLondon("2027-03-29", "19:00");
    expect(policyRefund({ startsAt: monday }, atLondon("2027-03-27", "19:00"), policy)).toBe("none");
    expect(policyRefund({ startsAt: monday }, atLondon("2027-03-27", "18:00"), policy)).toBe("full");
  });

  it("refunds in full exactly when the notice is at least the policy's hours, for any hours and notice", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 720, noNaN: true }),
        fc.integer({ min: -1e9, max: 5e9 }),
        (hours, notice) => {
          const now = new Date(start.getTime() - notice);
          const expected = notice >= hours * HOUR ? "full" : "none";
          expect(policyRefund({ startsAt: start }, now, { fullRefundHours: hours })).toBe(expected);
        },
      ),
    );
  });
});
