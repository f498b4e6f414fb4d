// Rule 6's order: Stripe, then the secondary, then manual; a slot that is not configured is skipped.
import { describe, expect, it } from "vitest";
import type { PaymentProviderAdapter } from "../../payments/provider";
import { nextProvider, type PaymentProviders } from "../../payments/registry";

const configured = { name: "configured" } as unknown as PaymentProviderAdapter;
const providers = (stripe: boolean, secondary: boolean): PaymentProviders => ({
  stripe: stripe ? configured : null,
  secondary: secondary ? configured : null,
});

describe("next provider", () => {
  it("goes stripe → secondary → manual → none with both configured", () => {
    const both = providers(true, true);
    expect([
      nextProvider(both),
      nextProvider(both, "stripe"),
      nextProvider(both, "secondary"),
      nextProvider(both, "manual"),
    ]).toEqual(["stripe", "secondary", "manual", null]);
  });

  it("skips a slot that is not configured, and ends in manual with none", () => {
    expect(nextProvider(providers(false, true))).toBe("secondary");
    expect(nextProvider(providers(true, false), "stripe")).toBe("manual");
    expect(nextProvider(providers(false, false))).toBe("manual");
    expect(nextProvider(providers(false, false), "manual")).toBeNull();
  });
});
