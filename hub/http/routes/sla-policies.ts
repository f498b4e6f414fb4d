// SLA policies per source: GET /sla-policies, PUT /sla-policies/{source}, manager and above.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { INQUIRY_SOURCES, slaPolicies } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { sourceSchema } from "../../pipeline/inquiry-input";
import { formatLondon } from "../../time";
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

type PolicyRow = typeof slaPolicies.$inferSelect;
const policyView = (p: PolicyRow) => ({
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
    const rows = await deps.db.select().from(slaPolicies);
    rows.sort((a, b) => INQUIRY_SOURCES.indexOf(a.source) - INQUIRY_SOURCES.indexOf(b.source));
    return c.json({ items: rows.map(policyView) }, 200);
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
    const actor = c.get("user");
    const policy = await deps.db.transaction(async (tx) => {
      // Locked so that two managers changing it at once each audit the value they really replaced.
      const [before] = await tx.select().from(slaPolicies).where(eq(slaPolicies.source, source)).for("update");
      const [after] = await tx
        .insert(slaPolicies)
        .values({ source, deadlineMinutes: deadline_minutes, updatedBy: actor.id })
        .onConflictDoUpdate({
          target: slaPolicies.source,
          set: { deadlineMinutes: deadline_minutes, updatedBy: actor.id, updatedAt: sql`now()` },
        })
        .returning();
      await recordAudit(tx, {
        actorId: actor.id,
        action: "sla_policy.updated",
        entityType: "sla_policy",
        entityId: source,
        before: before ? { deadline_minutes: before.deadlineMinutes } : null,
        after: { deadline_minutes: after!.deadlineMinutes },
      });
      return policyView(after!);
    });
    return c.json(policy, 200);
  });
}
