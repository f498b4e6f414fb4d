// GET /health/system: the System Health dashboard's six widgets (manager and above). GET /health stays as it was.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { formatLondon } from "../../core/time";
import { healthThresholds, systemHealth, WIDGET_STATUSES, WIDGETS } from "../../health/system";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const WidgetSchema = z
  .object({
    status: z.enum(WIDGET_STATUSES),
    summary: z.string().openapi({ description: "One sentence: what is wrong, worst first, or that all is well" }),
    figures: z.record(z.string(), z.unknown()).openapi({ description: "What the status was judged on" }),
    thresholds: z
      .record(z.string(), z.number())
      .openapi({ description: "Where the figures turn warn or critical (settings HEALTH_*; docs/operations.md)" }),
  })
  .openapi("HealthWidget");

const SystemHealthSchema = z
  .object({
    status: z.enum(WIDGET_STATUSES).openapi({ description: "The worst widget's status" }),
    checked_at: londonDateTime,
    widgets: z.object(
      Object.fromEntries(WIDGETS.map((w) => [w, WidgetSchema])) as Record<
        (typeof WIDGETS)[number],
        typeof WidgetSchema
      >,
    ),
  })
  .openapi("SystemHealth");

export function systemHealthRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const thresholds = healthThresholds(deps.settings);
  const route = createRoute({
    method: "get",
    path: "/health/system",
    tags: ["Health"],
    summary: "System Health: the stripe, secondary, webhooks, queues, availability and SLA widgets",
    description:
      "Each widget is ok, warn or critical with one sentence saying why, its figures and its thresholds; a payment " +
      "slot that is not configured is warn. Always 200 while the database answers.",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "manager")] as const,
    responses: {
      200: { description: "The six widgets", content: { "application/json": { schema: SystemHealthSchema } } },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(route, async (c) => {
    const health = await systemHealth(deps, thresholds);
    return c.json(
      {
        status: health.status,
        checked_at: formatLondon(health.checkedAt),
        widgets: health.widgets as z.infer<typeof SystemHealthSchema>["widgets"],
      },
      200,
    );
  });
}
