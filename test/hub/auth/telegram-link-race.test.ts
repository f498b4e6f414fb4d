// Two link codes redeemed at once for one Telegram account: both links go through, one after the other, and the
// account ends linked to exactly one staff member (the unique index must never turn the race into an error).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueTelegramLinkCode, redeemTelegramLinkCode } from "../../../hub/auth/telegram-link";
import { startHub, type TestHub } from "../../support/hub";

describe("linking one Telegram account twice at the same moment", () => {
  let t: TestHub;
  let admin: { id: string; name: string; role: "admin" };
  beforeAll(async () => {
    t = await startHub();
    const [row] = await t.hub.database.rows<{ id: string; name: string }>(
      sql`select id, name from users where role = 'admin' limit 1`,
    );
    admin = { ...row!, role: "admin" };
  });
  afterAll(() => t.stop());

  it("links both in turn, with no error, and leaves the account with the later one", async () => {
    for (let round = 0; round < 10; round++) {
      const telegramUserId = String(700_000_000 + round);
      const people = [await t.createUser("operator"), await t.createUser("operator")];
      const now = new Date();
      const codes = await Promise.all(
        people.map((p) => issueTelegramLinkCode(t.hub.db, { actor: admin, targetId: p.id, now })),
      );
      const outcomes = await Promise.all(
        codes.map(({ code }) => redeemTelegramLinkCode(t.hub.db, code, telegramUserId, now)),
      );
      expect(outcomes.map((o) => o.linked)).toEqual([true, true]);
      const holders = await t.hub.database.rows<{ id: string }>(
        sql`select id from users where telegram_user_id = ${telegramUserId}`,
      );
      const open = await t.hub.database.rows<{ user_id: string }>(
        sql`select user_id from staff_telegram_links where telegram_user_id = ${telegramUserId} and unlinked_at is null`,
      );
      expect(holders).toHaveLength(1);
      expect(open.map((o) => o.user_id)).toEqual([holders[0]!.id]);
    }
  });
});
