// GET /inquiries/{id}/timeline: an inquiry's events in one list, as the console's inquiry page shows them.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { formatLondon } from "../../core/time";
import { inquiryTimeline, TIMELINE_KINDS } from "../../timeline";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const TimelineItemSchema = z
  .object({
    at: londonDateTime,
    kind: z.enum(TIMELINE_KINDS),
    action: z.string().openapi({
      example: "booking.confirmed",
      description: "The audit log's action, or inquiry.received, sla.deadline, sla.first_response, contact.<kind>",
    }),
    summary: z.string().openapi({ example: "BKG-12 confirmed" }),
    actor_id: z
      .uuid()
      .nullable()
      .openapi({ description: "The staff member who acted; null for the customer or the system" }),
    actor_name: z.string().nullable(),
    by: z.enum(["staff", "customer", "system"]).openapi({
      description:
        "Who acted: staff (actor_id names them), the customer (the lead itself, a proof from their payment page, an answer to a reminder, their own cancellation), or the hub on its own",
    }),
    entity_type: z.enum(["inquiry", "booking", "payment"]),
    entity_id: z.uuid(),
  })
  .openapi("TimelineItem");

export function timelineRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/inquiries/{id}/timeline",
      tags: ["Inquiries"],
      summary: "The inquiry's events, oldest first: arrival and SLA, status changes, contacts, bookings, payments",
      description:
        "Built from the audit log (every staff and system action on the inquiry, its bookings and their payments) and " +
        "the inquiry's own times. The SLA deadline is on the list even while it is still ahead. The conversation " +
        "itself is GET /inquiries/{id}/messages.",
      security: bearerSecurity,
      middleware: [requireRole(deps.auth, "operator")] as const,
      request: {
        params: z.object({ id: z.string().openapi({ example: "INQ-1042" }) }),
        query: z.object({
          kind: z
            .enum(TIMELINE_KINDS, { error: `must be one of ${TIMELINE_KINDS.join(", ")}` })
            .optional()
            .openapi({ description: "Only the events of this kind" }),
        }),
      },
      responses: {
        200: {
          description: "The timeline",
          content: {
            "application/json": {
              schema: z.object({ items: z.array(TimelineItemSchema) }).openapi("Timeline"),
            },
          },
        },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const items = await inquiryTimeline(deps.db, c.req.valid("param").id, { kind: c.req.valid("query").kind });
      return c.json(
        {
          items: items.map((item) => ({
            at: formatLondon(item.at),
            kind: item.kind,
            action: item.action,
            summary: item.summary,
            actor_id: item.actor?.id ?? null,
            actor_name: item.actor?.name ?? null,
            by: item.by,
            entity_type: item.entity.type,
            entity_id: item.entity.id,
          })),
        },
        200,
      );
    },
  );
}
