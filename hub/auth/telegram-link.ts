// Linking a staff member's Telegram account with a one-time code, and recognising them when they write to the bot.
import { createHash, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { telegramLinkCodes, users } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";
import { linkTelegramAccount } from "../staff";
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

/**
 * Why `actor` may not make a link code for `target`, or undefined when they may. Whoever holds the code becomes the
 * target in Telegram (their commands, their proofs of payment), so only the target or someone above them may make it:
 * an admin for anyone, a manager for an operator. A manager acting as another manager would defeat four eyes.
 */
export function linkCodeRefusal(
  actor: Pick<AuthUser, "id" | "role">,
  target: Pick<AuthUser, "id" | "role">,
): string | undefined {
  if (actor.id === target.id || actor.role === "admin") return undefined;
  if (actor.role === "manager") {
    return target.role === "operator"
      ? undefined
      : "A manager may ask for a Telegram link code for themselves or an operator, never for another manager or an admin: they ask for their own, or an admin does.";
  }
  return "An operator may ask for a Telegram link code for themselves only.";
}

/** A one-time code for the active staff member `targetId`, if `actor` may make one for them (else 403 saying why). */
export async function issueTelegramLinkCode(db: Database, request: { actor: AuthUser; targetId: string; now: Date }) {
  const { actor, targetId, now } = request;
  const [target] = await db
    .select({ id: users.id, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, targetId));
  if (!target?.active) throw new HubError("not_found", `No active staff member has id "${targetId}".`);
  const refusal = linkCodeRefusal(actor, target);
  if (refusal) throw new HubError("forbidden", refusal);
  const code = newCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.insert(telegramLinkCodes).values({ codeHash: hashCode(code), userId: target.id, expiresAt });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "operator.telegram_link_code_issued",
      entityType: "user",
      entityId: target.id,
      after: { expires_at: expiresAt.toISOString() },
    });
  });
  return { code, expiresAt };
}

export type LinkOutcome =
  | {
      linked: true;
      user: AuthUser /** The Telegram account acted for another staff member until now. */;
      moved: boolean;
    }
  | { linked: false; reason: "unknown" | "used" | "expired" | "inactive" };

/** Redeems a code for the Telegram user who sent it; a code works once, for 15 minutes, for an active user. */
export async function redeemTelegramLinkCode(
  db: Database,
  code: string,
  telegramUserId: string,
  now: Date,
): Promise<LinkOutcome> {
  return db.transaction(async (tx): Promise<LinkOutcome> => {
    const [row] = await tx
      .select({
        userId: telegramLinkCodes.userId,
        expiresAt: telegramLinkCodes.expiresAt,
        usedAt: telegramLinkCodes.usedAt,
      })
      .from(telegramLinkCodes)
      .where(eq(telegramLinkCodes.codeHash, hashCode(code)))
      .for("update");
    if (!row) return { linked: false, reason: "unknown" };
    if (row.usedAt) return { linked: false, reason: "used" };
    if (row.expiresAt <= now) return { linked: false, reason: "expired" };
    const [user] = await tx
      .select({ id: users.id, name: users.name, role: users.role, active: users.active })
      .from(users)
      .where(eq(users.id, row.userId));
    if (!user?.active) return { linked: false, reason: "inactive" };
    await tx
      .update(telegramLinkCodes)
      .set({ usedAt: now })
      .where(eq(telegramLinkCodes.codeHash, hashCode(code)));
    const { takenFromUserId } = await linkTelegramAccount(tx, { userId: user.id, telegramUserId, now });
    return { linked: true, user: { id: user.id, name: user.name, role: user.role }, moved: takenFromUserId !== null };
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
