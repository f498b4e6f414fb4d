// Resources (what is booked): added and changed by managers, each change audited with the resource as the API shows
// it, so the audit log reads like the answers the manager saw.
import { asc, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { type OpeningHours, RESOURCE_STATUSES, type ResourceStatus, resources } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";
import { resourceView } from "../http/views/booking";
import { freeStarts } from "./availability";

export { RESOURCE_STATUSES };
export type Resource = typeof resources.$inferSelect;

export interface ResourceFields {
  name: string;
  capacity: number;
  tags?: string[] | undefined;
  /** London wall times; none: open at all times. */
  openingHours?: OpeningHours[] | undefined;
  status?: ResourceStatus | undefined;
}

export async function findResource(db: Executor, id: string): Promise<Resource> {
  const [row] = await db.select().from(resources).where(eq(resources.id, id));
  if (!row) throw new HubError("not_found", `No resource has id "${id}".`);
  return row;
}

/** Every resource (or those of one status), by name. */
export function listResources(db: Executor, status?: ResourceStatus): Promise<Resource[]> {
  return db
    .select()
    .from(resources)
    .where(status ? eq(resources.status, status) : undefined)
    .orderBy(asc(resources.name), asc(resources.id));
}

export function addResource(db: Database, fields: ResourceFields, actorId: string): Promise<Resource> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(resources)
      .values({
        name: fields.name,
        capacity: fields.capacity,
        tags: fields.tags ?? [],
        openingHours: fields.openingHours ?? [],
        status: fields.status ?? "active",
      })
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "resource.created",
      entityType: "resource",
      entityId: row!.id,
      after: resourceView(row!),
    });
    return row!;
  });
}

/** Only the fields given change; bookings the resource can no longer take show up as availability mismatches. */
export async function changeResource(
  db: Database,
  id: string,
  change: Partial<ResourceFields>,
  actorId: string,
): Promise<Resource> {
  const before = await findResource(db, id);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(resources)
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.capacity !== undefined ? { capacity: change.capacity } : {}),
        ...(change.tags !== undefined ? { tags: change.tags } : {}),
        ...(change.openingHours !== undefined ? { openingHours: change.openingHours } : {}),
        ...(change.status !== undefined ? { status: change.status } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(resources.id, before.id))
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "resource.updated",
      entityType: "resource",
      entityId: before.id,
      before: resourceView(before),
      after: resourceView(row!),
    });
    return row!;
  });
}

/** A London day's free start times for a booking of that length; 404 for an unknown resource. */
export async function resourceAvailability(
  db: Executor,
  resourceId: string,
  date: string,
  durationMinutes: number,
): Promise<{ resource: Resource; starts: Date[] }> {
  const resource = await findResource(db, resourceId);
  return { resource, starts: await freeStarts(db, resource, date, durationMinutes) };
}
