// A partner's commission: commission_percent of the deposit in pence, rounded half up, with no float in between.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commissionOf } from "../../payments/orchestrator/on-paid";

describe("commission", () => {
  it("rounds half up to a whole penny", () => {
    expect(commissionOf(3333, "12.5")).toBe(417); // 416.625
    expect(commissionOf(3000, "10")).toBe(300);
    expect(commissionOf(1, "50")).toBe(1); // 0.5
    expect(commissionOf(1, "49.99")).toBe(0);
    expect(commissionOf(2500, "0")).toBe(0);
    expect(commissionOf(2500, "100.00")).toBe(2500);
  });

  it("equals the exact product rounded half up, for any amount and percent of two decimals", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, basisPoints) => {
          const percent = `${Math.floor(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, "0")}`;
          // Exact: amount × basisPoints / 10000, half up, in BigInt.
          const exact = (BigInt(amount) * BigInt(basisPoints) * 2n + 10_000n) / 20_000n;
          expect(BigInt(commissionOf(amount, percent))).toBe(exact);
        },
      ),
      { seed: 4242, numRuns: 1000 },
    );
  });
});
