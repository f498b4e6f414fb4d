// A new member of staff: an operator, manager or admin, with an API key shown once and kept only as its hash.
import type { Database } from "../../db/client";
import { USER_ROLES, type UserRole, users } from "../../db/schema";
import { generateApiKey, hashApiKey } from "../auth/api-keys";
import { recordAudit } from "../core/audit/record";

export { USER_ROLES };

export interface NewStaffMember {
  id: string;
  name: string;
  role: UserRole;
  createdAt: Date;
  /** The key in clear: the caller shows it once; the database keeps its hash. */
  apiKey: string;
}

export async function addStaffMember(
  db: Database,
  member: { name: string; role: UserRole },
  actorId: string,
): Promise<NewStaffMember> {
  const apiKey = generateApiKey();
  const user = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ name: member.name, role: member.role, apiKeyHash: hashApiKey(apiKey) })
      .returning({ id: users.id, name: users.name, role: users.role, createdAt: users.createdAt });
    await recordAudit(tx, {
      actorId,
      action: "operator.created",
      entityType: "user",
      entityId: row!.id,
      after: { name: row!.name, role: row!.role },
    });
    return row!;
  });
  return { ...user, apiKey };
}
