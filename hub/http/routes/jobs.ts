// Dead letters: GET /jobs/failed lists them, POST /jobs/{id}/retry puts one back (audited). Manager and above.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { listDeadLetters, retryDeadLetter } from "../../core/jobs/dead-letters";
import type { FailedJob } from "../../core/jobs/driver";
import { QUEUES } from "../../core/jobs/queues";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const queueSchema = z.enum(QUEUES, { error: `must be one of ${QUEUES.join(", ")}` });

const FailedJobSchema = z
  .object({
    queue: queueSchema,
    id: z.string(),
    name: z.string(),
    attempts_made: z.int(),
    last_error: z.string().nullable(),
    failed_at: londonDateTime.nullable(),
    data: z.unknown(),
  })
  .openapi("FailedJob");

const failedJobView = (job: FailedJob) => ({
  queue: job.queue as (typeof QUEUES)[number],
  id: job.id,
  name: job.name,
  attempts_made: job.attemptsMade,
  last_error: job.lastError,
  failed_at: job.failedAt ? formatLondon(job.failedAt) : null,
  data: job.data,
});

export function jobRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");

  const list = createRoute({
    method: "get",
    path: "/jobs/failed",
    tags: ["Jobs"],
    summary: "Dead letters: jobs that used every attempt or were hopeless, most recent first",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: {
      query: z.object({
        queue: queueSchema.optional().openapi({ description: "One queue; all of them by default" }),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: {
        description: "Dead letters",
        content: {
          "application/json": { schema: z.object({ items: z.array(FailedJobSchema) }).openapi("FailedJobList") },
        },
      },
      ...problemResponses(400, 401, 403),
    },
  });

  app.openapi(list, async (c) => {
    const { queue, limit } = c.req.valid("query");
    const items = await listDeadLetters(deps.jobs, queue, limit);
    return c.json({ items: items.map(failedJobView) }, 200);
  });

  const retry = createRoute({
    method: "post",
    path: "/jobs/{id}/retry",
    tags: ["Jobs"],
    summary: "Put a dead letter back in its queue with a fresh set of attempts",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: {
      params: z.object({ id: z.string().min(1).max(128) }),
      query: z.object({ queue: queueSchema.default("events") }),
    },
    responses: {
      200: {
        description: "Requeued",
        content: {
          "application/json": {
            schema: z
              .object({ queue: queueSchema, id: z.string(), status: z.literal("waiting") })
              .openapi("RetriedJob"),
          },
        },
      },
      ...problemResponses(400, 401, 403, 404),
    },
  });

  app.openapi(retry, async (c) => {
    const { id } = c.req.valid("param");
    const { queue } = c.req.valid("query");
    await retryDeadLetter(deps, { queue, id, actorId: c.get("user").id });
    return c.json({ queue, id, status: "waiting" as const }, 200);
  });
}
