// SLA policies per source: GET /sla-policies, PUT /sla-policies/{source}, manager and above.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { sourceSchema } from "../../pipeline";
import {
  BusinessPeriodSchema,
  changeSlaPolicy,
  INQUIRY_SOURCES,
  listSlaPolicies,
  SLA_CLOCKS,
  type SlaPolicy,
} from "../../sla";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const clockSchema = z.enum(SLA_CLOCKS, { error: "must be wall or business" }).openapi({
  description:
    "wall: received_at on the London wall clock plus the minutes (the default). business: only minutes inside business_hours count, and none on a holiday (GET /holidays).",
});

const SlaPolicySchema = z
  .object({
    source: z.enum(INQUIRY_SOURCES),
    deadline_minutes: z.int(),
    clock: clockSchema,
    business_hours: z.array(BusinessPeriodSchema),
    updated_at: londonDateTime,
    updated_by: z.uuid().nullable(),
  })
  .openapi("SlaPolicy");

const policyView = (p: SlaPolicy) => ({
  source: p.source,
  deadline_minutes: p.deadlineMinutes,
  clock: p.clock,
  business_hours: p.businessHours,
  updated_at: formatLondon(p.updatedAt),
  updated_by: p.updatedBy,
});

export function slaPolicyRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");

  const list = createRoute({
    method: "get",
    path: "/sla-policies",
    tags: ["SLA"],
    summary: "Response deadline per source, and the clock it runs on",
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
    summary: "Replace a source's response deadline and clock (applies to inquiries received from now on; audited)",
    description:
      "The body replaces the policy whole: deadline_minutes alone sets the wall clock. With clock business, business_hours lists the open periods of each week day in London wall time (several a day for split shifts); each opens before it closes, closes may be 24:00 (the day's end), periods of a day must not overlap, and the deadline must fall within four weeks of open time.",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: {
      params: z.object({ source: sourceSchema }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({
                deadline_minutes: z.int().min(1).max(10_080).openapi({ description: "1 minute to 7 days" }),
                clock: clockSchema.optional(),
                business_hours: z
                  .array(BusinessPeriodSchema)
                  .max(70, "must have at most 70 periods")
                  .optional()
                  .openapi({
                    description:
                      'Required, with at least one period, when clock is "business"; absent or empty with "wall".',
                  }),
              })
              .strict()
              .openapi("SlaPolicyInput", {
                example: {
                  deadline_minutes: 60,
                  clock: "business",
                  business_hours: [
                    { day: "mon", opens: "09:00", closes: "13:00" },
                    { day: "mon", opens: "14:00", closes: "18:00" },
                  ],
                },
              }),
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
    const { deadline_minutes, clock, business_hours } = c.req.valid("json");
    const policy = await changeSlaPolicy(
      deps.db,
      source,
      { deadlineMinutes: deadline_minutes, clock, businessHours: business_hours },
      c.get("user").id,
    );
    return c.json(policyView(policy), 200);
  });
}
