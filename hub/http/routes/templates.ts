// Message texts: GET /templates lists them (built-in or changed), PUT /templates/{key} changes one, DELETE restores it.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { eq, sql } from "drizzle-orm";
import { messageTemplates } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { HubError } from "../../errors";
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, type TemplateKey } from "../../templates/defaults";
import { unknownPlaceholders } from "../../templates/render";
import { formatLondon } from "../../time";
import { plainText } from "../../validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const keySchema = z.enum(TEMPLATE_KEYS as [TemplateKey, ...TemplateKey[]], {
  error: `must be one of ${TEMPLATE_KEYS.join(", ")}`,
});

const TemplateSchema = z
  .object({
    key: keySchema,
    body: z.string(),
    placeholders: z.array(z.string()).openapi({ description: "What the body may use, as {{name}}" }),
    default_body: z.string(),
    changed: z.boolean().openapi({ description: "True when the body is a stored change, not the built-in text" }),
    updated_at: londonDateTime.nullable(),
    updated_by: z.uuid().nullable(),
  })
  .openapi("MessageTemplate");

type Override = typeof messageTemplates.$inferSelect | undefined;
const templateView = (key: TemplateKey, override: Override) => ({
  key,
  body: override?.body ?? DEFAULT_TEMPLATES[key].body,
  placeholders: [...DEFAULT_TEMPLATES[key].placeholders],
  default_body: DEFAULT_TEMPLATES[key].body,
  changed: !!override,
  updated_at: override ? formatLondon(override.updatedAt) : null,
  updated_by: override?.updatedBy ?? null,
});

export function templateRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");
  const params = z.object({ key: keySchema });

  const list = createRoute({
    method: "get",
    path: "/templates",
    tags: ["Templates"],
    summary: "Every automated message's text, with the placeholders it may use",
    security: bearerSecurity,
    middleware: [asManager] as const,
    responses: {
      200: {
        description: "All templates",
        content: { "application/json": { schema: z.object({ items: z.array(TemplateSchema) }) } },
      },
      ...problemResponses(401, 403),
    },
  });
  app.openapi(list, async (c) => {
    const overrides = new Map((await deps.db.select().from(messageTemplates)).map((row) => [row.key, row]));
    return c.json({ items: TEMPLATE_KEYS.map((key) => templateView(key, overrides.get(key))) }, 200);
  });

  const put = createRoute({
    method: "put",
    path: "/templates/{key}",
    tags: ["Templates"],
    summary: "Change a message's text (audited); messages queued from now on use it",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: {
      params,
      body: {
        required: true,
        content: { "application/json": { schema: z.object({ body: plainText(4000) }).strict() } },
      },
    },
    responses: {
      200: { description: "The template now", content: { "application/json": { schema: TemplateSchema } } },
      ...problemResponses(400, 401, 403),
    },
  });
  app.openapi(put, async (c) => {
    const { key } = c.req.valid("param");
    const { body } = c.req.valid("json");
    const unknown = unknownPlaceholders(key, body);
    if (unknown.length > 0) {
      const allowed = DEFAULT_TEMPLATES[key].placeholders.join(", ") || "none";
      throw new HubError(
        "invalid",
        `body: uses ${unknown.map((n) => `{{${n}}}`).join(", ")}; ${key} offers ${allowed}`,
        [{ field: "body", message: `unknown placeholder(s) ${unknown.join(", ")}` }],
      );
    }
    const actor = c.get("user");
    const after = await deps.db.transaction(async (tx) => {
      const [before] = await tx.select().from(messageTemplates).where(eq(messageTemplates.key, key)).for("update");
      const [row] = await tx
        .insert(messageTemplates)
        .values({ key, body, updatedBy: actor.id })
        .onConflictDoUpdate({ target: messageTemplates.key, set: { body, updatedBy: actor.id, updatedAt: sql`now()` } })
        .returning();
      await recordAudit(tx, {
        actorId: actor.id,
        action: "template.updated",
        entityType: "message_template",
        entityId: key,
        before: { body: before?.body ?? DEFAULT_TEMPLATES[key].body },
        after: { body },
      });
      return row;
    });
    return c.json(templateView(key, after), 200);
  });

  const reset = createRoute({
    method: "delete",
    path: "/templates/{key}",
    tags: ["Templates"],
    summary: "Go back to the built-in text (audited)",
    security: bearerSecurity,
    middleware: [asManager] as const,
    request: { params },
    responses: {
      200: { description: "The template now", content: { "application/json": { schema: TemplateSchema } } },
      ...problemResponses(400, 401, 403),
    },
  });
  app.openapi(reset, async (c) => {
    const { key } = c.req.valid("param");
    const actor = c.get("user");
    await deps.db.transaction(async (tx) => {
      const [removed] = await tx.delete(messageTemplates).where(eq(messageTemplates.key, key)).returning();
      if (removed) {
        await recordAudit(tx, {
          actorId: actor.id,
          action: "template.reset",
          entityType: "message_template",
          entityId: key,
          before: { body: removed.body },
          after: { body: DEFAULT_TEMPLATES[key].body },
        });
      }
    });
    return c.json(templateView(key, undefined), 200);
  });
}
