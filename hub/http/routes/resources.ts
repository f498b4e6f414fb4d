// Resources (what is booked), their blocks, and a London day's free start times. Managers and above change them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import { RESOURCE_STATUSES, resourceBlocks, resources } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { freeStarts } from "../../bookings/availability";
import { availabilityMismatches, MISMATCH_KINDS } from "../../bookings/mismatches";
import { OpeningHoursSchema } from "../../bookings/opening-hours";
import { HubError } from "../../errors";
import { formatLondon } from "../../time";
import { apiDate, apiDateTime, plainText } from "../../validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { blockView, BlockSchema, ResourceSchema, resourceView } from "../views/booking";
import { londonDateTime } from "../views/inquiry";

const ResourceId = z.object({ id: z.uuid({ error: "must be a resource id (a UUID)" }) });
const resourceFields = {
  name: plainText(200),
  capacity: z.int({ error: "must be a whole number" }).min(1, "must be at least 1").max(100_000),
  tags: z.array(plainText(50)).max(50).optional(),
  opening_hours: z.array(OpeningHoursSchema).max(100).optional(),
  status: z.enum(RESOURCE_STATUSES, { error: "must be active or inactive" }).optional(),
};

export function resourceRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");
  const asOperator = requireRole(deps.auth, "operator");

  const load = async (id: string) => {
    const [row] = await deps.db.select().from(resources).where(eq(resources.id, id));
    if (!row) throw new HubError("not_found", `No resource has id "${id}".`);
    return row;
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/resources",
      tags: ["Resources"],
      summary: "Add a resource: a room, a table area, a boat, a specialist",
      description:
        "Opening hours are London wall times; a closing time at or before the opening time is the next day (18:00–01:00). No hours: open at all times.",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        body: { required: true, content: { "application/json": { schema: z.object(resourceFields).strict() } } },
      },
      responses: {
        201: { description: "Created", content: { "application/json": { schema: ResourceSchema } } },
        ...problemResponses(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const row = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(resources)
          .values({
            name: body.name,
            capacity: body.capacity,
            tags: body.tags ?? [],
            openingHours: body.opening_hours ?? [],
            status: body.status ?? "active",
          })
          .returning();
        await recordAudit(tx, {
          actorId: c.get("user").id,
          action: "resource.created",
          entityType: "resource",
          entityId: row!.id,
          after: resourceView(row!),
        });
        return row!;
      });
      c.header("Location", `/resources/${row.id}`);
      return c.json(resourceView(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/resources",
      tags: ["Resources"],
      summary: "Every resource, by name",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { query: z.object({ status: z.enum(RESOURCE_STATUSES).optional() }) },
      responses: {
        200: {
          description: "The resources",
          content: {
            "application/json": { schema: z.object({ items: z.array(ResourceSchema) }).openapi("ResourceList") },
          },
        },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const status = c.req.valid("query").status;
      const rows = await deps.db
        .select()
        .from(resources)
        .where(status ? eq(resources.status, status) : undefined)
        .orderBy(asc(resources.name), asc(resources.id));
      return c.json({ items: rows.map(resourceView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/resources/{id}",
      tags: ["Resources"],
      summary: "One resource",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: ResourceId },
      responses: {
        200: { description: "The resource", content: { "application/json": { schema: ResourceSchema } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => c.json(resourceView(await load(c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/resources/{id}",
      tags: ["Resources"],
      summary: "Change a resource (audited); bookings it can no longer take show up as availability mismatches",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        params: ResourceId,
        body: {
          required: true,
          content: { "application/json": { schema: z.object(resourceFields).partial().strict() } },
        },
      },
      responses: {
        200: { description: "The resource", content: { "application/json": { schema: ResourceSchema } } },
        ...problemResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const before = await load(c.req.valid("param").id);
      const body = c.req.valid("json");
      const row = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .update(resources)
          .set({
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
            ...(body.tags !== undefined ? { tags: body.tags } : {}),
            ...(body.opening_hours !== undefined ? { openingHours: body.opening_hours } : {}),
            ...(body.status !== undefined ? { status: body.status } : {}),
            updatedAt: sql`now()`,
          })
          .where(eq(resources.id, before.id))
          .returning();
        await recordAudit(tx, {
          actorId: c.get("user").id,
          action: "resource.updated",
          entityType: "resource",
          entityId: before.id,
          before: resourceView(before),
          after: resourceView(row!),
        });
        return row!;
      });
      return c.json(resourceView(row), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/resources/{id}/blocks",
      tags: ["Resources"],
      summary: "Block a resource's time (maintenance, a private event); audited",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        params: ResourceId,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.object({ starts_at: apiDateTime, ends_at: apiDateTime, reason: plainText(500) }).strict(),
            },
          },
        },
      },
      responses: {
        201: { description: "Blocked", content: { "application/json": { schema: BlockSchema } } },
        ...problemResponses(400, 401, 403, 404, 413, 415),
      },
    }),
    async (c) => {
      const resource = await load(c.req.valid("param").id);
      const body = c.req.valid("json");
      if (body.ends_at.getTime() <= body.starts_at.getTime()) {
        throw new HubError("invalid", "ends_at: must be after starts_at", [
          { field: "ends_at", message: "must be after starts_at" },
        ]);
      }
      const row = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(resourceBlocks)
          .values({
            resourceId: resource.id,
            startsAt: body.starts_at,
            endsAt: body.ends_at,
            reason: body.reason,
            createdBy: c.get("user").id,
          })
          .returning();
        await recordAudit(tx, {
          actorId: c.get("user").id,
          action: "resource.blocked",
          entityType: "resource",
          entityId: resource.id,
          after: blockView(row!),
        });
        return row!;
      });
      return c.json(blockView(row), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/resources/{id}/blocks",
      tags: ["Resources"],
      summary: "A resource's blocks that overlap from–to (London time without an offset)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: { params: ResourceId, query: z.object({ from: apiDateTime.optional(), to: apiDateTime.optional() }) },
      responses: {
        200: {
          description: "The blocks",
          content: { "application/json": { schema: z.object({ items: z.array(BlockSchema) }).openapi("BlockList") } },
        },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const resource = await load(c.req.valid("param").id);
      const { from, to } = c.req.valid("query");
      const rows = await deps.db
        .select()
        .from(resourceBlocks)
        .where(
          and(
            eq(resourceBlocks.resourceId, resource.id),
            to ? lt(resourceBlocks.startsAt, to) : undefined,
            from ? gt(resourceBlocks.endsAt, from) : undefined,
          ),
        )
        .orderBy(asc(resourceBlocks.startsAt));
      return c.json({ items: rows.map(blockView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/resources/{id}/blocks/{block_id}",
      tags: ["Resources"],
      summary: "Remove a block (audited)",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: { params: z.object({ id: z.uuid(), block_id: z.uuid() }) },
      responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { id, block_id } = c.req.valid("param");
      const removed = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .delete(resourceBlocks)
          .where(and(eq(resourceBlocks.id, block_id), eq(resourceBlocks.resourceId, id)))
          .returning();
        if (row)
          await recordAudit(tx, {
            actorId: c.get("user").id,
            action: "resource.unblocked",
            entityType: "resource",
            entityId: id,
            before: blockView(row),
          });
        return row;
      });
      if (!removed) throw new HubError("not_found", `Resource "${id}" has no block "${block_id}".`);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/resources/{id}/availability",
      tags: ["Resources"],
      summary: "A London day's free start times for a booking of duration_minutes (every 15 minutes)",
      security: bearerSecurity,
      middleware: [asOperator] as const,
      request: {
        params: ResourceId,
        query: z.object({
          date: apiDate,
          duration_minutes: z.coerce
            .number({ error: "must be a whole number of minutes" })
            .int()
            .min(5)
            .max(24 * 60),
        }),
      },
      responses: {
        200: {
          description: "Free start times",
          content: {
            "application/json": {
              schema: z
                .object({
                  resource_id: z.uuid(),
                  date: z.string(),
                  duration_minutes: z.int(),
                  starts: z.array(londonDateTime),
                })
                .openapi("Availability"),
            },
          },
        },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const resource = await load(c.req.valid("param").id);
      const { date, duration_minutes } = c.req.valid("query");
      const starts = await freeStarts(deps.db, resource, date, duration_minutes);
      return c.json({ resource_id: resource.id, date, duration_minutes, starts: starts.map(formatLondon) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/availability/mismatches",
      tags: ["Resources"],
      summary:
        "Active bookings their resource can no longer take: a block added after, hours changed, made inactive, capacity lowered",
      description:
        "One item per booking and cause, the soonest booking first; only bookings not yet over. Their count is on GET /health.",
      security: bearerSecurity,
      middleware: [asManager] as const,
      responses: {
        200: {
          description: "The mismatches",
          content: {
            "application/json": {
              schema: z
                .object({
                  items: z.array(
                    z.object({
                      booking_id: z.uuid(),
                      reference: z.string(),
                      resource_id: z.uuid(),
                      kind: z.enum(MISMATCH_KINDS),
                      since: londonDateTime,
                      detail: z.string(),
                    }),
                  ),
                })
                .openapi("AvailabilityMismatches"),
            },
          },
        },
        ...problemResponses(401, 403),
      },
    }),
    async (c) => {
      const found = await availabilityMismatches(deps.db, deps.pipeline.now());
      return c.json(
        {
          items: found.map((m) => ({
            booking_id: m.bookingId,
            reference: `BKG-${m.bookingNumber}`,
            resource_id: m.resourceId,
            kind: m.kind,
            since: formatLondon(m.since),
            detail: m.detail,
          })),
        },
        200,
      );
    },
  );
}
