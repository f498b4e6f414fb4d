// Who may make a Telegram link code for whom: every pair of roles, for oneself and for another.
import { describe, expect, it } from "vitest";
import { USER_ROLES, type UserRole } from "../../../db/schema";
import { linkCodeRefusal } from "../../../hub/auth/telegram-link";

/** Allowed for another staff member: [issuer, target]. Everything else between two people is refused. */
const ALLOWED_FOR_ANOTHER = new Set(["admin→operator", "admin→manager", "admin→admin", "manager→operator"]);

describe("link code rule", () => {
  for (const actor of USER_ROLES) {
    it(`lets a ${actor} make one for themselves`, () => {
      expect(linkCodeRefusal({ id: "a", role: actor }, { id: "a", role: actor })).toBeUndefined();
    });
    for (const target of USER_ROLES) {
      const pair = `${actor}→${target}`;
      it(`${ALLOWED_FOR_ANOTHER.has(pair) ? "lets" : "refuses"} a ${actor} for another ${target}`, () => {
        const refusal = linkCodeRefusal({ id: "a", role: actor as UserRole }, { id: "b", role: target as UserRole });
        if (ALLOWED_FOR_ANOTHER.has(pair)) expect(refusal).toBeUndefined();
        else
          expect(refusal).toMatch(
            actor === "manager"
              ? /^A manager may ask .* never for another manager or an admin/
              : /^An operator may ask .* for themselves only\.$/,
          );
      });
    }
  }
});
