// Liveness and readiness for load balancers and orchestrators.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppDeps, HubEnv } from "../context";
import { HubError } from "../../core/errors";
import { problemResponses } from "../problem";
import { bearerSecurity, requireRole } from "../auth";
import { databaseAnswers, healthView, INQUIRY_SOURCES, PAYMENT_PROVIDERS, providerFigures } from "../../health/view";

const QueueStatsSchema = z.union([
  z.object({
    waiting: z.int(),
    delayed: z.int(),
    active: z.int(),
    completed: z.int(),
    failed: z.int().openapi({ description: "Dead letters" }),
    oldest_waiting_ms: z
      .int()
      .nullable()
      .openapi({ description: "Age of the oldest due job not yet taken: the queue's lag" }),
  }),
  z.object({ error: z.string() }),
]);

const HealthViewSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    warnings: z
      .array(z.string())
      .openapi({ description: "What needs a person, in plain sentences; empty when all is well" }),
    database: z.enum(["postgres", "pglite"]),
    jobs: z.object({ driver: z.enum(["in-process", "bullmq"]), queues: z.record(z.string(), QueueStatsSchema) }),
    channels: z.record(
      z.enum(INQUIRY_SOURCES),
      z.object({ connected: z.boolean(), mode: z.string(), warnings: z.array(z.string()) }),
    ),
    outbox: z.object({
      unpublished: z.int(),
      oldest_unpublished_ms: z.int().nullable(),
      last_error: z.string().nullable(),
    }),
    availability_mismatches: z
      .int()
      .openapi({ description: "Active bookings their resource can no longer take: GET /availability/mismatches" }),
    payments: z.record(
      z.enum(PAYMENT_PROVIDERS),
      z.object({
        configured: z.boolean(),
        name: z.string(),
        success_rate: z
          .number()
          .nullable()
          .openapi({ description: "Paid among the last 24 h's attempts that ended; null with none" }),
        attempts_24h: z.int(),
        latency_p50_ms: z.int().nullable(),
        latency_p95_ms: z.int().nullable(),
        since_last_webhook_ms: z.int().nullable(),
        open_failovers: z.int().openapi({ description: "Live attempts this slot holds because an earlier one failed" }),
        rejected_signatures: z
          .int()
          .openapi({ description: "Webhooks with a bad signature since this process started" }),
        webhook_failures: z.int().openapi({
          description:
            "Signed webhooks not processed (unreadable, or the provider's API failing) since this process started",
        }),
      }),
    ),
  })
  .openapi("HealthView");

type ProviderHealthJson = z.infer<typeof HealthViewSchema>["payments"]["stripe"];

export function healthRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const live = createRoute({
    method: "get",
    path: "/health/live",
    tags: ["Health"],
    summary: "The process is up",
    responses: {
      200: { description: "Up", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
    },
  });
  app.openapi(live, (c) => c.json({ status: "ok" as const }, 200));

  const ready = createRoute({
    method: "get",
    path: "/health/ready",
    tags: ["Health"],
    summary: "Migrations have run and the database answers",
    responses: {
      200: {
        description: "Ready to take traffic",
        content: {
          "application/json": {
            schema: z.object({ status: z.literal("ready"), database: z.enum(["postgres", "pglite"]) }),
          },
        },
      },
      ...problemResponses(503),
    },
  });
  app.openapi(ready, async (c) => {
    if (!deps.isMigrated()) throw new HubError("unavailable", "Migrations have not finished yet.");
    if (!(await databaseAnswers(deps.database))) throw new HubError("unavailable", "The database does not answer.");
    return c.json({ status: "ready" as const, database: deps.database.driver }, 200);
  });

  const view = createRoute({
    method: "get",
    path: "/health",
    tags: ["Health"],
    summary: "The health view: queue lag, dead letters, the outbox backlog, and warnings about the queue's service",
    description: "Always 200 while the database answers; `status` is `degraded` when there is any warning.",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "operator")] as const,
    responses: {
      200: { description: "The hub's health", content: { "application/json": { schema: HealthViewSchema } } },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(view, async (c) => {
    const health = await healthView(deps.db, deps.jobs, deps.channels, deps.payments, deps.now());
    const queues = Object.fromEntries(
      Object.entries(health.jobs.queues).map(([name, s]) => [
        name,
        "error" in s
          ? s
          : {
              waiting: s.waiting,
              delayed: s.delayed,
              active: s.active,
              completed: s.completed,
              failed: s.failed,
              oldest_waiting_ms: s.oldestWaitingMs,
            },
      ]),
    );
    return c.json(
      {
        status: health.status,
        warnings: health.warnings,
        database: deps.database.driver,
        jobs: { driver: health.jobs.driver, queues },
        channels: health.channels,
        outbox: {
          unpublished: health.outbox.unpublished,
          oldest_unpublished_ms: health.outbox.oldestUnpublishedMs,
          last_error: health.outbox.lastError,
        },
        availability_mismatches: health.availabilityMismatches,
        payments: Object.fromEntries(
          Object.entries(health.payments).map(([slot, h]) => [
            slot,
            {
              ...providerFigures(h),
              rejected_signatures: h.rejectedSignatures,
              webhook_failures: h.webhookFailures,
            },
          ]),
        ) as Record<(typeof PAYMENT_PROVIDERS)[number], ProviderHealthJson>,
      },
      200,
    );
  });
}
