// Partners (agencies): POST /partners and GET /partners, admin only.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { asc } from "drizzle-orm";
import { PG, pgErrorCode } from "../../../db/errors";
import { partners, PARTNER_STATUSES } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { HubError } from "../../errors";
import { formatLondon } from "../../time";
import { plainText } from "../../validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const PartnerInput = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{1,62}$/, "must be 2-63 lower-case letters, digits, '-' or '_', starting with a letter or digit")
      .openapi({ example: "london-tours" }),
    name: plainText(200),
    commission_percent: z
      .union([z.number(), z.string()])
      .transform((value, ctx) => {
        // Kept as decimal text end to end: a percentage like 12.5 never passes through float arithmetic.
        const text = String(value).trim();
        if (/^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100) return text;
        ctx.addIssue({ code: "custom", message: "must be a number from 0 to 100 with at most 2 decimals" });
        return z.NEVER;
      })
      .openapi({ type: "number", example: 12.5 }),
    status: z.enum(PARTNER_STATUSES, { error: `must be one of ${PARTNER_STATUSES.join(", ")}` }).default("active"),
  })
  .strict()
  .openapi("PartnerInput");

const PartnerSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    commission_percent: z.string().openapi({ example: "12.50", description: "Decimal text, two places" }),
    status: z.enum(PARTNER_STATUSES),
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Partner");

type PartnerRow = typeof partners.$inferSelect;
const partnerView = (p: PartnerRow) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  commission_percent: p.commissionPercent,
  status: p.status as (typeof PARTNER_STATUSES)[number],
  created_at: formatLondon(p.createdAt),
  updated_at: formatLondon(p.updatedAt),
});

export function partnerRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asAdmin = requireRole(deps.auth, "admin");

  const create = createRoute({
    method: "post",
    path: "/partners",
    tags: ["Partners"],
    summary: "Register a partner agency",
    security: bearerSecurity,
    middleware: [asAdmin] as const,
    request: { body: { required: true, content: { "application/json": { schema: PartnerInput } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: PartnerSchema } } },
      ...problemResponses(400, 401, 403, 409, 413, 415),
    },
  });

  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const actor = c.get("user");
    try {
      const partner = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(partners)
          .values({ code: input.code, name: input.name, commissionPercent: input.commission_percent, status: input.status })
          .returning();
        const view = partnerView(row!);
        await recordAudit(tx, { actorId: actor.id, action: "partner.created", entityType: "partner", entityId: row!.id, after: view });
        return view;
      });
      return c.json(partner, 201);
    } catch (error) {
      if (pgErrorCode(error) === PG.uniqueViolation) {
        throw new HubError("conflict", `A partner with code "${input.code}" already exists.`, [
          { field: "code", message: "is taken" },
        ]);
      }
      throw error;
    }
  });

  const list = createRoute({
    method: "get",
    path: "/partners",
    tags: ["Partners"],
    summary: "All partners, by code",
    security: bearerSecurity,
    middleware: [asAdmin] as const,
    responses: {
      200: {
        description: "Partners",
        content: { "application/json": { schema: z.object({ items: z.array(PartnerSchema) }).openapi("PartnerList") } },
      },
      ...problemResponses(401, 403),
    },
  });

  app.openapi(list, async (c) => {
    const rows = await deps.db.select().from(partners).orderBy(asc(partners.code));
    return c.json({ items: rows.map(partnerView) }, 200);
  });
}
