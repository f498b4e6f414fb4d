// A resource's blocks: time it cannot be booked (maintenance, a private event). Adding and removing one is audited.
import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { resourceBlocks } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError, invalid } from "../core/errors";
import { blockView } from "../http/views/booking";
import { findResource } from "./resources";

export type ResourceBlock = typeof resourceBlocks.$inferSelect;

export interface BlockInput {
  startsAt: Date;
  endsAt: Date;
  reason: string;
}

export async function blockResource(
  db: Database,
  resourceId: string,
  block: BlockInput,
  actorId: string,
): Promise<ResourceBlock> {
  const resource = await findResource(db, resourceId);
  if (block.endsAt.getTime() <= block.startsAt.getTime()) throw invalid("ends_at", "must be after starts_at");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(resourceBlocks)
      .values({
        resourceId: resource.id,
        startsAt: block.startsAt,
        endsAt: block.endsAt,
        reason: block.reason,
        createdBy: actorId,
      })
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "resource.blocked",
      entityType: "resource",
      entityId: resource.id,
      after: blockView(row!),
    });
    return row!;
  });
}

/** The resource's blocks that overlap from–to (either end open), earliest first; 404 for an unknown resource. */
export async function listBlocks(
  db: Executor,
  resourceId: string,
  range: { from?: Date | undefined; to?: Date | undefined },
): Promise<ResourceBlock[]> {
  const resource = await findResource(db, resourceId);
  return db
    .select()
    .from(resourceBlocks)
    .where(
      and(
        eq(resourceBlocks.resourceId, resource.id),
        range.to ? lt(resourceBlocks.startsAt, range.to) : undefined,
        range.from ? gt(resourceBlocks.endsAt, range.from) : undefined,
      ),
    )
    .orderBy(asc(resourceBlocks.startsAt));
}

export async function removeBlock(db: Database, resourceId: string, blockId: string, actorId: string): Promise<void> {
  const removed = await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(resourceBlocks)
      .where(and(eq(resourceBlocks.id, blockId), eq(resourceBlocks.resourceId, resourceId)))
      .returning();
    if (row)
      await recordAudit(tx, {
        actorId,
        action: "resource.unblocked",
        entityType: "resource",
        entityId: resourceId,
        before: blockView(row),
      });
    return row;
  });
  if (!removed) throw new HubError("not_found", `Resource "${resourceId}" has no block "${blockId}".`);
}
