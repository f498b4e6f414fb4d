// The retry policy's delay: exponential from 1 s, capped at 5 min, with equal jitter.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../hub/core/jobs/driver";

describe("retry delay", () => {
  it("is half fixed and half random: 0.5-1 s after the first attempt, doubling, 150-300 s once capped", () => {
    expect([retryDelayMs(1, () => 0), retryDelayMs(1, () => 1)]).toEqual([500, 1000]);
    expect([retryDelayMs(2, () => 0), retryDelayMs(2, () => 1)]).toEqual([1000, 2000]);
    expect([retryDelayMs(5, () => 0), retryDelayMs(5, () => 1)]).toEqual([8000, 16_000]);
    expect([retryDelayMs(30, () => 0), retryDelayMs(30, () => 1)]).toEqual([150_000, 300_000]);
  });

  it("stays within [cap/2, cap] of its attempt for any draw, and its bounds never shrink with attempts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (attempts, draw) => {
          const exponential = Math.min(1000 * 2 ** (attempts - 1), 300_000);
          const delay = retryDelayMs(attempts, () => draw);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(exponential / 2);
          expect(delay).toBeLessThanOrEqual(exponential);
          expect(retryDelayMs(attempts + 1, () => 0)).toBeGreaterThanOrEqual(retryDelayMs(attempts, () => 0));
        },
      ),
      { seed: 4242, numRuns: 500 },
    );
  });
});
