// Partners (agencies): registered, changed (suspended, reactivated, a new webhook_url) and given a new signing secret
// by an admin; every change is audited, and no audit entry ever holds a signing secret.
import { asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { PG, pgErrorCode } from "../../db/errors";
import { type PartnerStatus, partners } from "../../db/schema";
import { recordAudit } from "../../hub/core/audit/record";
import { HubError } from "../../hub/core/errors";
import { formatLondon } from "../../hub/core/time";
import { newSigningSecret } from "./signing-secret";

// The API's schemas take these; re-exported so a route needs no import from the schema.
export { PARTNER_STATUSES } from "../../db/schema";
export type { PartnerStatus } from "../../db/schema";

export type PartnerRow = typeof partners.$inferSelect;

/** A partner as the API shows it and the audit log records it: whether it has a signing secret, never the secret. */
export const partnerView = (p: PartnerRow) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  commission_percent: p.commissionPercent,
  status: p.status as PartnerStatus,
  webhook_url: p.webhookUrl,
  has_signing_secret: p.signingSecret !== null,
  created_at: formatLondon(p.createdAt),
  updated_at: formatLondon(p.updatedAt),
});

export type PartnerView = ReturnType<typeof partnerView>;

/** The view and the signing secret, which the hub shows this once and cannot show again. */
export interface PartnerWithSecret {
  partner: PartnerView;
  signingSecret: string;
}

export interface NewPartner {
  code: string;
  name: string;
  /** Decimal text, e.g. "12.5": a percentage never passes through float arithmetic. */
  commissionPercent: string;
  status: PartnerStatus;
  webhookUrl?: string | undefined;
}

/** What an admin may change; an absent field stays as it is, a null webhookUrl stops notifications. */
export interface PartnerChange {
  name?: string | undefined;
  commissionPercent?: string | undefined;
  status?: PartnerStatus | undefined;
  webhookUrl?: string | null | undefined;
}

export async function createPartner(db: Database, input: NewPartner, actorId: string): Promise<PartnerWithSecret> {
  const signingSecret = newSigningSecret();
  try {
    const partner = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(partners)
        .values({
          code: input.code,
          name: input.name,
          commissionPercent: input.commissionPercent,
          status: input.status,
          webhookUrl: input.webhookUrl,
          signingSecret,
        })
        .returning();
      const view = partnerView(row!);
      await recordAudit(tx, {
        actorId,
        action: "partner.created",
        entityType: "partner",
        entityId: row!.id,
        after: view,
      });
      return view;
    });
    return { partner, signingSecret };
  } catch (error) {
    if (pgErrorCode(error) === PG.uniqueViolation) {
      throw new HubError("conflict", `A partner with code "${input.code}" already exists.`, [
        { field: "code", message: "is taken" },
      ]);
    }
    throw error;
  }
}

/** All partners, by code. */
export async function listPartners(db: Executor): Promise<PartnerView[]> {
  const rows = await db.select().from(partners).orderBy(asc(partners.code));
  return rows.map(partnerView);
}

export function changePartner(
  db: Database,
  code: string,
  change: PartnerChange,
  actorId: string,
): Promise<PartnerView> {
  return db.transaction(async (tx) => {
    const before = await lockPartner(tx, code);
    const [row] = await tx
      .update(partners)
      .set({
        name: change.name,
        commissionPercent: change.commissionPercent,
        status: change.status,
        webhookUrl: change.webhookUrl,
        updatedAt: sql`now()`,
      })
      .where(eq(partners.id, before.id))
      .returning();
    const after = partnerView(row!);
    await recordAudit(tx, {
      actorId,
      action: "partner.updated",
      entityType: "partner",
      entityId: before.id,
      before: partnerView(before),
      after,
    });
    return after;
  });
}

/** The old secret stops working at once. */
export async function rotateSigningSecret(db: Database, code: string, actorId: string): Promise<PartnerWithSecret> {
  const signingSecret = newSigningSecret();
  const partner = await db.transaction(async (tx) => {
    const before = await lockPartner(tx, code);
    const [row] = await tx
      .update(partners)
      .set({ signingSecret, updatedAt: sql`now()` })
      .where(eq(partners.id, before.id))
      .returning();
    // Which partner and when, never the secret.
    await recordAudit(tx, {
      actorId,
      action: "partner.signing_secret_rotated",
      entityType: "partner",
      entityId: before.id,
      before: { code: before.code, has_signing_secret: before.signingSecret !== null },
      after: { code: before.code, has_signing_secret: true },
    });
    return partnerView(row!);
  });
  return { partner, signingSecret };
}

async function lockPartner(tx: Executor, code: string): Promise<PartnerRow> {
  const [row] = await tx.select().from(partners).where(eq(partners.code, code)).for("update");
  if (!row) throw new HubError("not_found", `No partner has code "${code}".`);
  return row;
}
