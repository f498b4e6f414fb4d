// GET /reports/daily: the daily figures per London date and source (manager and above), as JSON or as CSV.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { dailyReport, dailyReportCsv, reportFileName, reportRange } from "../../metrics";
import { sourceSchema } from "../../pipeline";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";

const dateQuery = (what: string) =>
  z
    .string()
    .optional()
    .openapi({ description: `${what} (London date, YYYY-MM-DD)`, example: "2027-03-28" });

const Figures = {
  total_count: z.int().openapi({ description: "Inquiries received that London day" }),
  converted_count: z.int().openapi({ description: "Inquiries whose first payment was paid that London day" }),
  conversion_rate: z.number().nullable().openapi({
    description: "converted_count ÷ total_count to 4 decimals; null when total_count is 0 (it may exceed 1)",
  }),
  revenue: z.int().openapi({ description: "Net revenue in pence: paid that day minus refunded that day" }),
  no_show_count: z.int().openapi({
    description: "Bookings marked no-show (POST /bookings/{id}/no-show) whose start was that London day",
  }),
};

const ReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    items: z.array(z.object({ date_london: z.string(), source: sourceSchema, ...Figures }).openapi("DailyReportItem")),
    totals: z.object(Figures).openapi("DailyReportTotals"),
  })
  .openapi("DailyReport");

export function reportRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const daily = createRoute({
    method: "get",
    path: "/reports/daily",
    tags: ["Reports"],
    summary: "Daily inquiries, conversions, net revenue and no-shows per London date and source",
    description:
      "One item per day and source in the range, zeros included (default: the last 30 days). At most 366 days. " +
      "With `Accept: text/csv`, the items as a CSV attachment, revenue in pounds (`revenue_gbp`), no_show_count last.",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "manager")] as const,
    request: {
      query: z.object({
        from: dateQuery("First day"),
        to: dateQuery("Last day, included"),
        source: sourceSchema.optional(),
      }),
    },
    responses: {
      200: {
        description: "The report",
        content: {
          "application/json": { schema: ReportSchema },
          "text/csv": {
            schema: z.string().openapi({ description: "date_london,source,total_count,…,revenue_gbp,no_show_count" }),
          },
        },
      },
      ...problemResponses(400, 401, 403),
    },
  });

  app.openapi(daily, async (c) => {
    const query = c.req.valid("query");
    const report = await dailyReport(deps.db, reportRange(query, deps.now()), query.source ?? null);
    if (/\btext\/csv\b/i.test(c.req.header("Accept") ?? "")) {
      return c.body(dailyReportCsv(report), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${reportFileName(report)}"`,
      });
    }
    const { source: _source, ...body } = report;
    return c.json(body, 200);
  });
}
