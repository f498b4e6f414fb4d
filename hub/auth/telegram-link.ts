// Linking a staff member's Telegram account with a one-time code, and recognising them when they write to the bot.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { telegramLinkCodes, users } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { AuthUser } from "./users";

export const LINK_CODE_TTL_MINUTES = 15;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** 8 characters of base32: 40 random bits, readable and typeable, useless after 15 minutes or one use. */
function newCode(): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = "";
  for (let i = 7; i >= 0; i--) code += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

// Looked up by hash, so the code is never compared in application code and a database leak reveals no live code.
const hashCode = (code: string) => createHash("sha256").update(code.trim().toUpperCase()).digest("hex");

export async function issueTelegramLinkCode(db: Database, userId: string, actorId: string, now: Date) {
  const code = newCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.insert(telegramLinkCodes).values({ codeHash: hashCode(code), userId, expiresAt });
    await recordAudit(tx, {
      actorId,
      action: "operator.telegram_link_code_issued",
      entityType: "user",
      entityId: userId,
      after: { expires_at: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}

export type LinkOutcome =
  | { linked: true; user: AuthUser }
  | { linked: false; reason: "unknown" | "used" | "expired" | "inactive" };

/** Redeems a code for the Telegram user who sent it; a code works once, for 15 minutes, for an active user. */
export async function redeemTelegramLinkCode(db: Database, code: string, telegramUserId: string, now: Date): Promise<LinkOutcome> {
  return db.transaction(async (tx): Promise<LinkOutcome> => {
    const [row] = await tx
      .select({ userId: telegramLinkCodes.userId, expiresAt: telegramLinkCodes.expiresAt, usedAt: telegramLinkCodes.usedAt })
      .from(telegramLinkCodes)
      .where(eq(telegramLinkCodes.codeHash, hashCode(code)))
      .for("update");
    if (!row) return { linked: false, reason: "unknown" };
    if (row.usedAt) return { linked: false, reason: "used" };
    if (row.expiresAt <= now) return { linked: false, reason: "expired" };
    const [user] = await tx
      .select({ id: users.id, name: users.name, role: users.role, active: users.active, telegramUserId: users.telegramUserId })
      .from(users)
      .where(eq(users.id, row.userId));
    if (!user?.active) return { linked: false, reason: "inactive" };
    await tx.update(telegramLinkCodes).set({ usedAt: now }).where(eq(telegramLinkCodes.codeHash, hashCode(code)));
    // One Telegram account speaks for one staff member: linking it here unlinks it from anyone else.
    await tx
      .update(users)
      .set({ telegramUserId: null, updatedAt: sql`now()` })
      .where(and(eq(users.telegramUserId, telegramUserId), ne(users.id, user.id)));
    await tx.update(users).set({ telegramUserId, updatedAt: sql`now()` }).where(eq(users.id, user.id));
    await recordAudit(tx, {
      actorId: user.id,
      action: "operator.telegram_linked",
      entityType: "user",
      entityId: user.id,
      before: { telegram_user_id: user.telegramUserId },
      after: { telegram_user_id: telegramUserId },
    });
    return { linked: true, user: { id: user.id, name: user.name, role: user.role } };
  });
}

/** The active staff member this Telegram user is linked to, if any. */
export async function findStaffByTelegramUser(db: Database, telegramUserId: string): Promise<AuthUser | undefined> {
  const [user] = await db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.telegramUserId, telegramUserId), eq(users.active, true)));
  return user;
}
