// SLA policies per source: GET /sla-policies, PUT /sla-policies/{source}, manager and above.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sourceSchema } from "../../pipeline";
import { INQUIRY_SOURCES, listSlaPolicies, type SlaPolicy, changeSlaPolicy } from "../../sla";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const SlaPolicySchema = z
  .object({
    source: z.enum(INQUIRY_SOURCES),
    deadline_minutes: z.int(),
    updated_at: londonDateTime,
    updated_by: z.uuid().nullable(),
  })
  .openapi("SlaPolicy");

const policyView = (p: SlaPolicy) => ({
  source: p.source,
  deadline_minutes: p.deadlineMinutes,
  updated_at: formatLondon(p.updatedAt),
  updated_by: p.updatedBy,
});

export function slaPolicyRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");

  const list = createRoute({
    method: "get",
    path: "/sla-policies",
    tags: ["SLA"],
    summary: "Response deadline per source",
    security: bearerSecurity,
    middleware: [asManager] as const,
    responses: {
      200: {
        description: "One policy per source",
        content: {
          "application/json": { schema: z.object({ items: z.array(SlaPolicySchema) }).openapi("SlaPolicyList") },
        },
      },
      ...problemResponses(401, 403),
    },
  });

  app.openapi(list, async (c) => {
    return c.json({ items: (await listSlaPolicies(deps.db)).map(policyView) }, 200);
  });

  const put = createRoute({
    method: "put",
    path: "/sla-policies/{source}",
    tags: ["SLA"],
    summary: "Change a source's response deadline (applies to inquiries received from now on)",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: {
      params: z.object({ source: sourceSchema }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({ deadline_minutes: z.int().min(1).max(10_080).openapi({ description: "1 minute to 7 days" }) })
              .strict()
              .openapi("SlaPolicyInput"),
          },
        },
      },
    },
    responses: {
      200: { description: "The policy now", content: { "application/json": { schema: SlaPolicySchema } } },
      ...problemResponses(400, 401, 403, 413, 415),
    },
  });

  app.openapi(put, async (c) => {
    const { source } = c.req.valid("param");
    const { deadline_minutes } = c.req.valid("json");
    const policy = await changeSlaPolicy(deps.db, source, deadline_minutes, c.get("user").id);
    return c.json(policyView(policy), 200);
  });
}
