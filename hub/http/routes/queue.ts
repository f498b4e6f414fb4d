// The work queue (GET /queue) and taking an inquiry from it (POST /inquiries/{id}/take).
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { getInquiry, takeInquiry, workQueue } from "../../inquiries";
import { SLA_STATUSES, slaStatus } from "../../sla";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { inquiryView, InquirySchema, londonDateTime } from "../views/inquiry";

const QueueItemSchema = z
  .object({
    id: z.uuid(),
    reference: z.string().openapi({ example: "INQ-1042" }),
    source: InquirySchema.shape.source,
    status: InquirySchema.shape.status,
    client: InquirySchema.shape.client,
    message: z.string().nullable(),
    received_at: londonDateTime,
    priority: z.int(),
    queue_score: z.number().openapi({ description: "Higher first; see docs/sla.md for the formula" }),
    sla_deadline_at: londonDateTime,
    sla_status: z.enum(SLA_STATUSES),
    minutes_to_deadline: z.int().openapi({ description: "Whole minutes left; negative once past the deadline" }),
    assignee_id: z.uuid().nullable(),
  })
  .openapi("QueueItem");

export function queueRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asOperator = requireRole(deps.auth, "operator");

  const list = createRoute({
    method: "get",
    path: "/queue",
    tags: ["Queue"],
    summary: "The work queue: new and in_progress inquiries, most pressing first",
    description:
      "One deterministic order from the channel's weight and the time left to the SLA deadline: an inquiry past its " +
      "deadline comes before every one not yet due; ties go to the earlier deadline, the earlier arrival, the lower " +
      "reference. The bot's /queue is the same list. Pages share the instant of the first page's scores.",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      query: z.object({
        mine: z
          .enum(["true", "false"], { error: "must be true or false" })
          .optional()
          .transform((v) => v === "true")
          .openapi({ description: "Only the inquiries the caller has taken" }),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().optional().openapi({ description: "next_cursor of the previous page" }),
      }),
    },
    responses: {
      200: {
        description: "One page",
        content: {
          "application/json": {
            schema: z
              .object({ items: z.array(QueueItemSchema), next_cursor: z.string().nullable(), as_of: londonDateTime })
              .openapi("QueuePage"),
          },
        },
      },
      ...problemResponses(400, 401, 403),
    },
  });

  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const now = deps.now();
    const page = await workQueue(deps.db, {
      now,
      limit: query.limit,
      cursor: query.cursor,
      assigneeId: query.mine ? c.get("user").id : undefined,
    });
    const items = page.items.map(({ inquiry, queueScore }) => {
      const view = inquiryView(inquiry, now);
      return {
        id: view.id,
        reference: view.reference,
        source: view.source,
        status: view.status,
        client: view.client,
        message: view.message,
        received_at: view.received_at,
        priority: view.priority,
        queue_score: Number(queueScore),
        sla_deadline_at: view.sla_deadline_at,
        sla_status: slaStatus(inquiry, now),
        minutes_to_deadline: Math.floor((inquiry.slaDeadlineAt.getTime() - now.getTime()) / 60_000),
        assignee_id: inquiry.assigneeId,
      };
    });
    return c.json({ items, next_cursor: page.nextCursor, as_of: formatLondon(page.at) }, 200);
  });

  const take = createRoute({
    method: "post",
    path: "/inquiries/{id}/take",
    tags: ["Queue"],
    summary: "Take an inquiry: it becomes the caller's (assignee_id) and in_progress; audited",
    description:
      "Later customer messages in it go to the assignee in Telegram. Only a new or in_progress inquiry can be taken (else 409).",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: { params: z.object({ id: z.string().openapi({ example: "INQ-1042" }) }) },
    responses: {
      200: { description: "The inquiry, taken", content: { "application/json": { schema: InquirySchema } } },
      ...problemResponses(401, 403, 404, 409),
    },
  });

  app.openapi(take, async (c) => {
    const inquiry = await getInquiry(deps.db, c.req.valid("param").id);
    await takeInquiry(deps, inquiry.id, c.get("user").id);
    return c.json(inquiryView(await getInquiry(deps.db, inquiry.id), deps.now()), 200);
  });
}
