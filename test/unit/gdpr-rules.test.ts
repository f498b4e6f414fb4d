// The pure rules behind UK GDPR erasure and retention: what a redacted audit entry keeps, when the daily run is due,
// and where the retention period begins, across the clock changes.
import { describe, expect, it } from "vitest";
import { ERASED, nextRetentionRun, retentionCutoff } from "../../hub/clients";
import { redact } from "../../hub/clients/redact";
import { formatLondon } from "../../hub/core/time";

describe("redact", () => {
  it("keeps ids, dates, numbers, booleans and vocabulary; erases every other string, whatever its field", () => {
    const entry = {
      status: "confirmed",
      to: "no_show",
      via: "telegram",
      content_type: "image/png",
      proof_id: "8c0c3e52-9a0b-4c1e-9f3a-2b7d5e6f7a81",
      at: "2026-03-29T01:30:00.000Z",
      date: "2026-03-29",
      amount: 3000,
      notified: true,
      reason: null,
      note: "Called Ann back",
      phone: "+447911123456",
      comment: "Ann's transfer",
      telegram_user_id: "5000001",
      status_note: "confirmed",
      nested: { body: "Hello Ann", kind: "call", list: ["Ann", 12, "cb1e0e5e-1c1f-4c8e-8d0b-0a1b2c3d4e5f"] },
    };
    expect(redact(entry)).toEqual({
      status: "confirmed",
      to: "no_show",
      via: "telegram",
      content_type: "image/png",
      proof_id: "8c0c3e52-9a0b-4c1e-9f3a-2b7d5e6f7a81",
      at: "2026-03-29T01:30:00.000Z",
      date: "2026-03-29",
      amount: 3000,
      notified: true,
      reason: null,
      note: ERASED,
      phone: ERASED,
      comment: ERASED,
      telegram_user_id: ERASED,
      status_note: ERASED,
      nested: { body: ERASED, kind: "call", list: [ERASED, 12, "cb1e0e5e-1c1f-4c8e-8d0b-0a1b2c3d4e5f"] },
    });
  });

  it("erases words in a vocabulary field and is idempotent", () => {
    const once = redact({ status: "Ann Smith came", reason: "ann" });
    expect(once).toEqual({ status: ERASED, reason: ERASED });
    expect(redact(once)).toEqual(once);
    expect(redact(null)).toBeNull();
  });
});

describe("the retention run's time and period", () => {
  it("runs at 03:00 London time: today's until it has passed, then tomorrow's, in GMT and in BST", () => {
    const at = (iso: string) => {
      const next = nextRetentionRun(new Date(iso));
      return [next.date, formatLondon(next.at)];
    };
    expect(at("2026-01-15T02:59:59.000Z")).toEqual(["2026-01-15", "2026-01-15T03:00:00.000+00:00"]);
    expect(at("2026-01-15T03:00:00.000Z")).toEqual(["2026-01-16", "2026-01-16T03:00:00.000+00:00"]);
    // 03:00 BST is 02:00 UTC.
    expect(at("2026-07-01T01:30:00.000Z")).toEqual(["2026-07-01", "2026-07-01T03:00:00.000+01:00"]);
    expect(at("2026-07-01T02:00:00.000Z")).toEqual(["2026-07-02", "2026-07-02T03:00:00.000+01:00"]);
    // The spring-forward night: 03:00 exists (01:00-02:00 does not), 02:00 UTC.
    expect(at("2026-03-29T00:30:00.000Z")).toEqual(["2026-03-29", "2026-03-29T03:00:00.000+01:00"]);
  });

  it("begins at the start of the London day the given months before", () => {
    const cutoff = (iso: string, months: number) => formatLondon(retentionCutoff(new Date(iso), months));
    expect(cutoff("2028-07-15T03:00:00.000+01:00", 24)).toBe("2026-07-15T00:00:00.000+01:00");
    expect(cutoff("2028-01-15T03:00:00.000Z", 24)).toBe("2026-01-15T00:00:00.000+00:00");
    // A day the earlier month lacks becomes its last: 31 May less 3 months is 28 February.
    expect(cutoff("2027-05-31T12:00:00.000+01:00", 3)).toBe("2027-02-28T00:00:00.000+00:00");
    // 23:30 UTC on 31 July is already 1 August in London.
    expect(cutoff("2027-07-31T23:30:00.000Z", 1)).toBe("2027-07-01T00:00:00.000+01:00");
  });
});
