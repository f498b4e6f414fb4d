// UK GDPR: GET /clients/{id}/export (manager and above) and POST /clients/{id}/erase (admin), both audited.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { eraseClient, exportClient } from "../../clients";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { ClientExportSchema, clientExportView, ErasureOutcomeSchema, erasureOutcomeView } from "../views/client";

const ClientId = z.object({
  id: z.uuid({ error: "must be a client id (a UUID: client_id on an inquiry)" }),
});

export function clientRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asManager = requireRole(deps.auth, "manager");
  const asAdmin = requireRole(deps.auth, "admin");

  app.openapi(
    createRoute({
      method: "get",
      path: "/clients/{id}/export",
      tags: ["Clients"],
      summary: "Everything the hub holds about a person, as JSON (UK GDPR access); audited",
      description:
        "The client, their identities, inquiries, contacts staff logged, messages both ways, bookings, payments and " +
        "refunds, manual payments' approvals, and the proofs' metadata with the staff route that serves each file. " +
        "An erased client's export shows what erasure kept.",
      security: bearerSecurity,
      middleware: [asManager] as const,
      request: { params: ClientId },
      responses: {
        200: { description: "The export", content: { "application/json": { schema: ClientExportSchema } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const found = await exportClient(deps, { clientId: c.req.valid("param").id, actorId: c.get("user").id });
      const id = found.client.id;
      c.header("Content-Disposition", `attachment; filename="client-${id}.json"`);
      return c.json(clientExportView(found, deps.now(), deps.bookings.publicAddress.url), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/clients/{id}/erase",
      tags: ["Clients"],
      summary: "Erase a person's personal data (UK GDPR); amounts, dates, sources, statuses and metrics stay; audited",
      description:
        "Refused (409) while one of their bookings is held, awaiting its deposit or confirmed, or one of their payments " +
        "or refunds is still in flight: cancel or decide it first. Their open inquiries are closed. A second call " +
        "answers 200 with already_erased true and the first erasure's time, and erases whatever reached the client " +
        "since. docs/after-booking.md lists what is kept and what is removed.",
      security: bearerSecurity,
      middleware: [asAdmin] as const,
      request: { params: ClientId },
      responses: {
        200: { description: "Erased", content: { "application/json": { schema: ErasureOutcomeSchema } } },
        ...problemResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const outcome = await eraseClient(deps, {
        clientId: c.req.valid("param").id,
        actorId: c.get("user").id,
        cause: "request",
      });
      return c.json(erasureOutcomeView(outcome), 200);
    },
  );
}
