// Staff accounts: who a key belongs to, and the bootstrap admin configured by ADMIN_API_KEY.
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { users, USER_ROLES, type UserRole } from "../../db/schema";
import { hashApiKey } from "./api-keys";

export interface AuthUser {
  id: string;
  name: string;
  role: UserRole;
}

/** The admin that ADMIN_API_KEY authenticates: one fixed row, so a new key replaces the old one. */
export const BOOTSTRAP_ADMIN_ID = "00000000-0000-4000-8000-000000000001";

export async function ensureBootstrapAdmin(db: Database, adminApiKey: string): Promise<void> {
  await db
    .insert(users)
    .values({ id: BOOTSTRAP_ADMIN_ID, name: "admin", role: "admin", apiKeyHash: hashApiKey(adminApiKey) })
    .onConflictDoUpdate({
      target: users.id,
      set: { apiKeyHash: hashApiKey(adminApiKey), role: "admin", active: true, updatedAt: sql`now()` },
    });
}

export async function findUserByKeyHash(db: Database, keyHash: string): Promise<AuthUser | undefined> {
  const [user] = await db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.apiKeyHash, keyHash), eq(users.active, true)));
  return user;
}

/** Roles are ordered: a manager may do what an operator may, an admin what a manager may. */
export function hasRole(user: AuthUser, least: UserRole): boolean {
  return USER_ROLES.indexOf(user.role) >= USER_ROLES.indexOf(least);
}
