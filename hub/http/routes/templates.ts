// Message texts: GET /templates lists them (built-in or changed), PUT /templates/{key} changes one, DELETE restores it.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  TEMPLATE_KEYS,
  type TemplateKey,
  changeTemplate,
  listTemplates,
  type MessageTemplate,
  resetTemplate,
} from "../../templates";
import { formatLondon } from "../../core/time";
import { plainText } from "../../core/validation";
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

const templateView = (t: MessageTemplate) => ({
  key: t.key,
  body: t.body,
  placeholders: [...t.placeholders],
  default_body: t.defaultBody,
  changed: t.changed,
  updated_at: t.updatedAt ? formatLondon(t.updatedAt) : null,
  updated_by: t.updatedBy,
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
  app.openapi(list, async (c) => c.json({ items: (await listTemplates(deps.db)).map(templateView) }, 200));

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
    return c.json(templateView(await changeTemplate(deps.db, key, body, c.get("user").id)), 200);
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
    return c.json(templateView(await resetTemplate(deps.db, key, c.get("user").id)), 200);
  });
}
