// A payment attempt's life as a table: every pair of statuses, allowed or refused, without a database.
import { describe, expect, it } from "vitest";
import { PAYMENT_STATUSES } from "../../db/schema";
import { HubError } from "../../hub/core/errors";
import { canMovePayment, PaymentMoveError } from "../../payments/transitions";

/**
 * What payments/orchestrator and payments/manual do, written out: creating → open → (awaiting_approval →) paid →
 * refunded, or closed; a closed attempt still paid late; a refund row's pending refund (open) done.
 */
const ALLOWED = new Set([
  "creating→open",
  "creating→paid",
  "creating→failed",
  "creating→cancelled",
  "creating→expired",
  "open→awaiting_approval",
  "open→paid",
  "open→failed",
  "open→cancelled",
  "open→expired",
  "open→refunded",
  "awaiting_approval→paid",
  "awaiting_approval→failed",
  "awaiting_approval→cancelled",
  "paid→refunded",
  "failed→paid",
  "cancelled→paid",
  "expired→paid",
]);

describe("payment moves", () => {
  for (const from of PAYMENT_STATUSES) {
    for (const to of PAYMENT_STATUSES) {
      const pair = `${from}→${to}`;
      it(`${ALLOWED.has(pair) ? "allows" : "refuses"} ${pair}`, () => {
        expect(canMovePayment(from, to)).toBe(ALLOWED.has(pair));
      });
    }
  }

  it("never goes back to creating, never stays put, never leaves refunded, and unpays nothing", () => {
    for (const s of PAYMENT_STATUSES) {
      expect(canMovePayment(s, "creating")).toBe(false);
      expect(canMovePayment(s, s)).toBe(false);
      expect(canMovePayment("refunded", s)).toBe(false);
      // The database's own guard (migration 0013): a paid attempt can only be refunded.
      if (s !== "refunded") expect(canMovePayment("paid", s)).toBe(false);
    }
  });

  it("refuses with a conflict that names the attempt and both statuses", () => {
    const error = new PaymentMoveError("pay-1", "refunded", "paid");
    expect(error).toBeInstanceOf(HubError);
    expect(error).toMatchObject({ kind: "conflict", paymentId: "pay-1", from: "refunded", to: "paid" });
    expect(error.message).toBe("Payment pay-1 is refunded; it cannot become paid.");
  });
});
