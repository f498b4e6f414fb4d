// GET /metrics: Prometheus's text format, on the API port as Prometheus expects. Open unless METRICS_TOKEN is set;
// then only `Authorization: Bearer <METRICS_TOKEN>` gets it.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sameSecret } from "../../auth/same-secret";
import { HubError } from "../../core/errors";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";

export function metricsRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const token = deps.settings.METRICS_TOKEN;
  const route = createRoute({
    method: "get",
    path: "/metrics",
    tags: ["Health"],
    summary:
      "Prometheus metrics: intake, pipeline latency, webhook rejections, outbound messages, queues, payments, SLA",
    description:
      "Open by default; with METRICS_TOKEN set, send `Authorization: Bearer <METRICS_TOKEN>` (else 401). " +
      "docs/operations.md lists every metric.",
    security: [{}, { bearerAuth: [] }],
    responses: {
      200: {
        description: "The Prometheus text exposition format",
        content: { "text/plain": { schema: z.string() } },
      },
      ...problemResponses(401),
    },
  });
  app.openapi(route, async (c) => {
    if (token) {
      const given = c.req.header("Authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
      if (!sameSecret(given, token))
        throw new HubError("unauthorized", "Send `Authorization: Bearer <METRICS_TOKEN>` to read the metrics.");
    }
    const body = await deps.metrics.scrape();
    return c.body(body, 200, { "Content-Type": deps.metrics.contentType });
  });
}
