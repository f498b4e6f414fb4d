// Whether a member of staff hears of every new inquiry in Telegram (`/notify on|off`); on by default.
import { eq } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { users } from "../../db/schema";
import { recordAudit } from "../core/audit/record";

/** False as well for a user who is not there. */
export async function takesNewInquiryNotices(db: Executor, userId: string): Promise<boolean> {
  const [me] = await db.select({ on: users.notifyNewInquiries }).from(users).where(eq(users.id, userId));
  return me?.on ?? false;
}

/** Audited with the actor as the user: only they change their own notices. */
export function setNewInquiryNotices(db: Database, userId: string, on: boolean): Promise<void> {
  return db.transaction(async (tx) => {
    await tx.update(users).set({ notifyNewInquiries: on }).where(eq(users.id, userId));
    await recordAudit(tx, {
      actorId: userId,
      action: "operator.notify_changed",
      entityType: "user",
      entityId: userId,
      after: { notify_new_inquiries: on },
    });
  });
}
