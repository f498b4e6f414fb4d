// Staff accounts: POST /operators creates an operator, manager or admin and shows its API key once.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { addStaffMember, USER_ROLES } from "../../staff";
import { formatLondon } from "../../core/time";
import { plainText } from "../../core/validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const OperatorInput = z
  .object({
    name: plainText(200),
    role: z.enum(USER_ROLES, { error: `must be one of ${USER_ROLES.join(", ")}` }),
  })
  .strict()
  .openapi("OperatorInput");

const CreatedOperator = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    api_key: z.string().openapi({ description: "Shown only in this response; the hub keeps only its hash." }),
    created_at: londonDateTime,
  })
  .openapi("CreatedOperator");

export function operatorRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const create = createRoute({
    method: "post",
    path: "/operators",
    tags: ["Staff"],
    summary: "Create an operator, manager or admin, with an API key shown once",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "admin")] as const,
    request: { body: { required: true, content: { "application/json": { schema: OperatorInput } } } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: CreatedOperator } } },
      ...problemResponses(400, 401, 403, 413, 415),
    },
  });

  app.openapi(create, async (c) => {
    const input = c.req.valid("json");
    const user = await addStaffMember(deps.db, { name: input.name, role: input.role }, c.get("user").id);
    return c.json(
      { id: user.id, name: user.name, role: user.role, api_key: user.apiKey, created_at: formatLondon(user.createdAt) },
      201,
    );
  });
}
