// What PostgreSQL can store: the text rule on its own, and jsonb written from outside data as the last line behind
// the HTTP edge (a chat channel's polling, a caller inside the hub).
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { auditLog, webhookEvents } from "../../db/schema";
import { storableText, storableValue } from "../../db/storable";
import { recordAudit } from "../../hub/core/audit/record";
import { openTestDatabase } from "../support/database";

const R = "\ufffd";
const isWellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();
/** Any UTF-16 code units, lone surrogates and NUL included. */
const anyUnits = fc.array(fc.integer({ min: 0, max: 0xffff })).map((units) => String.fromCharCode(...units));

describe("storableText", () => {
  it("replaces NUL and each half of a broken surrogate pair with U+FFFD, one for one", () => {
    expect(storableText("a\u0000b\ud800c\udc00\ud83d\ude00\ud83d")).toBe(`a${R}b${R}c${R}\u{1F600}${R}`);
    expect(storableText("\udc00\ud800\udc00\udc00")).toBe(`${R}\u{10000}${R}`);
  });

  it("always gives well-formed text without NUL, of the same length, and leaves storable text as it was", () => {
    fc.assert(
      fc.property(anyUnits, (text) => {
        const stored = storableText(text);
        expect(isWellFormed(stored) && !stored.includes("\u0000")).toBe(true);
        expect(stored.length).toBe(text.length);
        expect(storableText(stored)).toBe(stored);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        (text) => void expect(storableText(text)).toBe(text.replaceAll("\u0000", R)),
      ),
    );
  });

  it("storableValue keeps a __proto__ key as a key", () => {
    const value = storableValue(JSON.parse('{"__proto__":{"polluted":"\\u0000"}}'));
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("jsonb written from outside data", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  it("an audit entry with NUL or half a surrogate pair is stored, with U+FFFD in their place", async () => {
    const entityId = "storable-audit";
    await handle.db.transaction((tx) =>
      recordAudit(tx, {
        actorId: null,
        action: "test.storable",
        entityType: "test",
        entityId,
        before: { "k\ud800": "\u0000" },
        after: ["\udfff", { n: 1 }],
      }),
    );
    const [row] = await handle.db
      .select({ before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(eq(auditLog.entityId, entityId));
    expect(row).toEqual({ before: { [`k${R}`]: R }, after: [R, { n: 1 }] });
  });

  it("a webhook event's payload likewise, and it reads back as JSON on either driver", async () => {
    await handle.db
      .insert(webhookEvents)
      .values({ source: "telegram", externalEventId: "storable-1", payload: { text: "hi\ud83d\u0000", s: "x" } });
    const [row] = await handle.db
      .select({ payload: webhookEvents.payload })
      .from(webhookEvents)
      .where(eq(webhookEvents.externalEventId, "storable-1"));
    expect(row!.payload).toEqual({ text: `hi${R}${R}`, s: "x" });
    const [raw] = await handle.rows<{ text: string }>(
      sql`select payload->>'text' as text from webhook_events where external_event_id = 'storable-1'`,
    );
    expect(raw!.text).toBe(`hi${R}${R}`);
  });
});
