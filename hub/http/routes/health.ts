// Liveness and readiness for load balancers and orchestrators.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ping } from "../../../db/client";
import type { AppDeps, HubEnv } from "../context";
import { HubError } from "../../errors";
import { problemResponses } from "../problem";

export function healthRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const live = createRoute({
    method: "get",
    path: "/health/live",
    tags: ["Health"],
    summary: "The process is up",
    responses: { 200: { description: "Up", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } } },
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
    if (!(await ping(deps.database))) throw new HubError("unavailable", "The database does not answer.");
    return c.json({ status: "ready" as const, database: deps.database.driver }, 200);
  });
}
