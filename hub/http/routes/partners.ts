// Partners (agencies), admin only: create (the signing secret shown once), list, change, rotate the signing secret.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { asc, eq, sql } from "drizzle-orm";
import { newSigningSecret } from "../../../channels/partner/signing-secret";
import { webhookUrlSchema } from "../../../channels/partner/webhook-url";
import type { Executor } from "../../../db/client";
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

const commissionPercent = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    // Kept as decimal text end to end: a percentage like 12.5 never passes through float arithmetic.
    const text = String(value).trim();
    if (/^\d{1,3}(\.\d{1,2})?$/.test(text) && Number(text) <= 100) return text;
    ctx.addIssue({ code: "custom", message: "must be a number from 0 to 100 with at most 2 decimals" });
    return z.NEVER;
  })
  .openapi({ type: "number", example: 12.5 });

const partnerStatus = z.enum(PARTNER_STATUSES, { error: `must be one of ${PARTNER_STATUSES.join(", ")}` });

const PartnerInput = z
  .object({
    code: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{1,62}$/,
        "must be 2-63 lower-case letters, digits, '-' or '_', starting with a letter or digit",
      )
      .openapi({ example: "london-tours" }),
    name: plainText(200),
    commission_percent: commissionPercent,
    status: partnerStatus.default("active"),
    webhook_url: webhookUrlSchema.optional(),
  })
  .strict()
  .openapi("PartnerInput");

const PartnerChange = z
  .object({
    name: plainText(200).optional(),
    commission_percent: commissionPercent.optional(),
    status: partnerStatus
      .optional()
      .openapi({ description: "suspended: its signed requests get 403 and nothing is stored" }),
    webhook_url: webhookUrlSchema.nullable().optional().openapi({ description: "null stops notifications" }),
  })
  .strict()
  .refine(
    (change) => Object.values(change).some((v) => v !== undefined),
    "must change at least one of name, commission_percent, status, webhook_url",
  )
  .openapi("PartnerChange");

const PartnerSchema = z
  .object({
    id: z.uuid(),
    code: z.string(),
    name: z.string(),
    commission_percent: z.string().openapi({ example: "12.50", description: "Decimal text, two places" }),
    status: z.enum(PARTNER_STATUSES),
    webhook_url: z.string().nullable(),
    has_signing_secret: z
      .boolean()
      .openapi({ description: "False only for partners created before signing: rotate to get one" }),
    created_at: londonDateTime,
    updated_at: londonDateTime,
  })
  .openapi("Partner");

const PartnerWithSecretSchema = PartnerSchema.extend({
  signing_secret: z.string().openapi({
    example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw1Zb8fZHXQ/Q=",
    description: "The Standard Webhooks secret: shown only in this response; the hub cannot show it again.",
  }),
}).openapi("PartnerWithSecret");

const codeParam = z.object({ code: z.string().openapi({ example: "london-tours" }) });

type PartnerRow = typeof partners.$inferSelect;
const partnerView = (p: PartnerRow) => ({
  id: p.id,
  code: p.code,
  name: p.name,
  commission_percent: p.commissionPercent,
  status: p.status as (typeof PARTNER_STATUSES)[number],
  webhook_url: p.webhookUrl,
  has_signing_secret: p.signingSecret !== null,
  created_at: formatLondon(p.createdAt),
  updated_at: formatLondon(p.updatedAt),
});

export function partnerRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asAdmin = requireRole(deps.auth, "admin");

  const create = createRoute({
    method: "post",
    path: "/partners",
    tags: ["Partners"],
    summary: "Register a partner agency; the response holds its signing secret, shown this once",
    security: bearerSecurity,
    middleware: [asAdmin] as const,
    request: { body: { required: true, content: { "application/json": { schema: PartnerInput } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: PartnerWithSecretSchema } } },
      ...problemResponses(400, 401, 403, 409, 413, 415),
    },
  });

  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const actor = c.get("user");
    const signingSecret = newSigningSecret();
    try {
      const partner = await deps.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(partners)
          .values({
            code: input.code,
            name: input.name,
            commissionPercent: input.commission_percent,
            status: input.status,
            webhookUrl: input.webhook_url,
            signingSecret,
          })
          .returning();
        // The view never holds the secret, so neither does the audit log.
        const view = partnerView(row!);
        await recordAudit(tx, {
          actorId: actor.id,
          action: "partner.created",
          entityType: "partner",
          entityId: row!.id,
          after: view,
        });
        return view;
      });
      return c.json({ ...partner, signing_secret: signingSecret }, 201);
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

  const change = createRoute({
    method: "patch",
    path: "/partners/{code}",
    tags: ["Partners"],
    summary: "Change a partner: name, commission, status (suspend or reactivate), webhook_url (audited)",
    security: bearerSecurity,
    middleware: [asAdmin] as const,
    request: {
      params: codeParam,
      body: { required: true, content: { "application/json": { schema: PartnerChange } } },
    },
    responses: {
      200: { description: "The partner after the change", content: { "application/json": { schema: PartnerSchema } } },
      ...problemResponses(400, 401, 403, 404, 413, 415),
    },
  });

  app.openapi(change, async (c) => {
    const { code } = c.req.valid("param");
    const input = c.req.valid("json");
    const view = await deps.db.transaction(async (tx) => {
      const before = await lockPartner(tx, code);
      const [row] = await tx
        .update(partners)
        .set({
          name: input.name,
          commissionPercent: input.commission_percent,
          status: input.status,
          webhookUrl: input.webhook_url,
          updatedAt: sql`now()`,
        })
        .where(eq(partners.id, before.id))
        .returning();
      const after = partnerView(row!);
      await recordAudit(tx, {
        actorId: c.get("user").id,
        action: "partner.updated",
        entityType: "partner",
        entityId: before.id,
        before: partnerView(before),
        after,
      });
      return after;
    });
    return c.json(view, 200);
  });

  const rotate = createRoute({
    method: "post",
    path: "/partners/{code}/signing-secret",
    tags: ["Partners"],
    summary: "Replace a partner's signing secret; the old one stops working at once and the new one is shown this once",
    security: bearerSecurity,
    middleware: [asAdmin] as const,
    request: { params: codeParam },
    responses: {
      200: {
        description: "The partner with its new secret",
        content: { "application/json": { schema: PartnerWithSecretSchema } },
      },
      ...problemResponses(401, 403, 404),
    },
  });

  app.openapi(rotate, async (c) => {
    const signingSecret = newSigningSecret();
    const view = await deps.db.transaction(async (tx) => {
      const before = await lockPartner(tx, c.req.valid("param").code);
      const [row] = await tx
        .update(partners)
        .set({ signingSecret, updatedAt: sql`now()` })
        .where(eq(partners.id, before.id))
        .returning();
      // Which partner and when, never the secret.
      await recordAudit(tx, {
        actorId: c.get("user").id,
        action: "partner.signing_secret_rotated",
        entityType: "partner",
        entityId: before.id,
        before: { code: before.code, has_signing_secret: before.signingSecret !== null },
        after: { code: before.code, has_signing_secret: true },
      });
      return partnerView(row!);
    });
    return c.json({ ...view, signing_secret: signingSecret }, 200);
  });
}

async function lockPartner(tx: Executor, code: string): Promise<PartnerRow> {
  const [row] = await tx.select().from(partners).where(eq(partners.code, code)).for("update");
  if (!row) throw new HubError("not_found", `No partner has code "${code}".`);
  return row;
}
