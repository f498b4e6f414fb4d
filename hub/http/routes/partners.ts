// Partners (agencies), admin only: create (the signing secret shown once), list, change, rotate the signing secret.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  changePartner,
  createPartner,
  listPartners,
  PARTNER_STATUSES,
  rotateSigningSecret,
  webhookUrlSchema,
} from "../../../channels/partner";
import { plainText } from "../../core/validation";
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
    const { partner, signingSecret } = await createPartner(
      deps.db,
      {
        code: input.code,
        name: input.name,
        commissionPercent: input.commission_percent,
        status: input.status,
        webhookUrl: input.webhook_url,
      },
      c.get("user").id,
    );
    return c.json({ ...partner, signing_secret: signingSecret }, 201);
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

  app.openapi(list, async (c) => c.json({ items: await listPartners(deps.db) }, 200));

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
    const view = await changePartner(
      deps.db,
      code,
      {
        name: input.name,
        commissionPercent: input.commission_percent,
        status: input.status,
        webhookUrl: input.webhook_url,
      },
      c.get("user").id,
    );
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
    const { partner, signingSecret } = await rotateSigningSecret(deps.db, c.req.valid("param").code, c.get("user").id);
    return c.json({ ...partner, signing_secret: signingSecret }, 200);
  });
}
