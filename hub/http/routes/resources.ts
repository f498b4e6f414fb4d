// Resources (what is booked), their blocks, and a London day's free start times. Managers and above change them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  availabilityMismatches,
  MISMATCH_KINDS,
  OpeningHoursSchema,
  blockResource,
  listBlocks,
  removeBlock,
  addResource,
  changeResource,
  findResource,
  listResources,
  RESOURCE_STATUSES,
  resourceAvailability,
} from "../../bookings";
import { formatLondon } from "../../core/time";
import { apiDate, apiDateTime, plainText } from "../../core/validation";
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
      const { opening_hours, ...body } = c.req.valid("json");
      const row = await addResource(deps.db, { ...body, openingHours: opening_hours }, c.get("user").id);
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
      const rows = await listResources(deps.db, c.req.valid("query").status);
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
    async (c) => c.json(resourceView(await findResource(deps.db, c.req.valid("param").id)), 200),
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
      const { opening_hours, ...change } = c.req.valid("json");
      const row = await changeResource(
        deps.db,
        c.req.valid("param").id,
        { ...change, openingHours: opening_hours },
        c.get("user").id,
      );
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
      const { starts_at, ends_at, reason } = c.req.valid("json");
      const row = await blockResource(
        deps.db,
        c.req.valid("param").id,
        { startsAt: starts_at, endsAt: ends_at, reason },
        c.get("user").id,
      );
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
      const rows = await listBlocks(deps.db, c.req.valid("param").id, c.req.valid("query"));
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
      await removeBlock(deps.db, id, block_id, c.get("user").id);
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
      const { date, duration_minutes } = c.req.valid("query");
      const { resource, starts } = await resourceAvailability(deps.db, c.req.valid("param").id, date, duration_minutes);
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
      const found = await availabilityMismatches(deps.db, deps.now());
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
