// POST /operators/{id}/telegram-link: a one-time code the staff member sends to the bot as `/link CODE`.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { issueTelegramLinkCode, LINK_CODE_TTL_MINUTES } from "../../auth/telegram-link";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";

const LinkCode = z
  .object({
    code: z
      .string()
      .openapi({ example: "K7Q2MZ4D", description: "Shown only in this response; the hub keeps only its hash." }),
    command: z.string().openapi({ example: "/link K7Q2MZ4D", description: "What to send to the bot." }),
    expires_at: londonDateTime,
  })
  .openapi("TelegramLinkCode");

export function telegramLinkRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const issue = createRoute({
    method: "post",
    path: "/operators/{id}/telegram-link",
    tags: ["Staff"],
    summary: `A one-time code (valid ${LINK_CODE_TTL_MINUTES} minutes) that links a staff member's Telegram account to the bot`,
    description:
      "Staff may ask for their own code; an admin for anyone's; a manager for an operator's, never another manager's " +
      "or an admin's (403 saying why). Once linked, the bot's operator commands (/phone, /queue, /sla, /inquiry) answer " +
      "that Telegram account, and what it sends (a proof of payment) is that staff member's.",
    security: bearerSecurity,
    middleware: [requireRole(deps.auth, "operator")] as const,
    request: { params: z.object({ id: z.uuid({ error: "must be a staff member's id (a UUID)" }) }) },
    responses: {
      201: { description: "The code", content: { "application/json": { schema: LinkCode } } },
      ...problemResponses(400, 401, 403, 404),
    },
  });

  app.openapi(issue, async (c) => {
    const { id } = c.req.valid("param");
    const { code, expiresAt } = await issueTelegramLinkCode(deps.db, {
      actor: c.get("user"),
      targetId: id,
      now: deps.now(),
    });
    return c.json({ code, command: `/link ${code}`, expires_at: formatLondon(expiresAt) }, 201);
  });
}
