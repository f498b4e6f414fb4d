// Closed dates for the business-hours SLA clock: GET /holidays, POST /holidays, DELETE /holidays/{date}; manager
// and above, as the SLA policies are.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { formatLondon } from "../../core/time";
import { apiDate, plainText } from "../../core/validation";
import { addHoliday, type Holiday, listHolidays, removeHoliday } from "../../sla";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const HolidaySchema = z
  .object({
    date: z.string().openapi({ format: "date", example: "2026-12-28" }),
    name: z.string().openapi({ example: "Boxing Day (substitute day)" }),
    created_at: londonDateTime,
    created_by: z.uuid().nullable().openapi({ description: "Null for the seeded England and Wales bank holidays" }),
  })
  .openapi("Holiday");

const holidayView = (h: Holiday) => ({
  date: h.date,
  name: h.name,
  created_at: formatLondon(h.createdAt),
  created_by: h.createdBy,
});

export function holidayRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");

  app.openapi(
    createRoute({
      method: "get",
      path: "/holidays",
      tags: ["SLA"],
      summary: "Closed dates, earliest first: a business-hours SLA clock does not run on them",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: { query: z.object({ from: apiDate.optional(), to: apiDate.optional() }) },
      responses: {
        200: {
          description: "The holidays from–to (inclusive; all without either)",
          content: {
            "application/json": { schema: z.object({ items: z.array(HolidaySchema) }).openapi("HolidayList") },
          },
        },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const { from, to } = c.req.valid("query");
      return c.json({ items: (await listHolidays(deps.db, { from, to })).map(holidayView) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/holidays",
      tags: ["SLA"],
      summary: "Close a London date for the business-hours SLA clock (audited; applies to leads taken in from now on)",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z
                .object({ date: apiDate, name: plainText(200) })
                .strict()
                .openapi("HolidayInput", { example: { date: "2026-12-24", name: "Christmas Eve" } }),
            },
          },
        },
      },
      responses: {
        201: { description: "Added", content: { "application/json": { schema: HolidaySchema } } },
        ...problemResponses(400, 401, 403, 409, 413, 415),
      },
    }),
    async (c) => {
      const holiday = await addHoliday(deps.db, c.req.valid("json"), c.get("user").id);
      c.header("Location", `/holidays/${holiday.date}`);
      return c.json(holidayView(holiday), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/holidays/{date}",
      tags: ["SLA"],
      summary: "Open a closed date again (audited; deadlines already given stay)",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: { params: z.object({ date: apiDate }) },
      responses: { 204: { description: "Removed" }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await removeHoliday(deps.db, c.req.valid("param").date, c.get("user").id);
      return c.body(null, 204);
    },
  );
}
