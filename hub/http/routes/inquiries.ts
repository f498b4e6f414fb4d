// Inquiries: intake (POST), reading (GET, list and one), status changes (PATCH), and the conversation.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { conversationOf } from "../../conversations";
import { changeNamedInquiryStatus, INQUIRY_STATUSES, getInquiry, listInquiries } from "../../inquiries";
import { ingestInquiry, InquiryInputSchema, sourceSchema } from "../../pipeline";
import { apiDateTime } from "../../core/validation";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { inquiryView, InquirySchema } from "../views/inquiry";
import { messageView, MessageSchema } from "../views/message";

export function inquiryRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asOperator = requireRole(deps.auth, "operator");

  const create = createRoute({
    method: "post",
    path: "/inquiries",
    tags: ["Inquiries"],
    summary: "Take in a lead from any of the five sources",
    description:
      "Validates the lead, dedupes it (Idempotency-Key, or source + external_message_id), resolves the client, " +
      "computes the SLA deadline in London time and priority, and stores it with its inquiry.created event in one transaction.",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      headers: z.object({ "idempotency-key": z.string().min(1).max(255).optional() }),
      body: { required: true, content: { "application/json": { schema: InquiryInputSchema } } },
    },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: InquirySchema } } },
      200: {
        description: "A duplicate: the first inquiry, unchanged (header Idempotent-Replayed: true)",
        content: { "application/json": { schema: InquirySchema } },
      },
      ...problemResponses(400, 401, 403, 409, 413, 415),
    },
  });

  app.openapi(create, async (c) => {
    const { inquiry, replayed } = await ingestInquiry(deps, c.req.valid("json"), {
      idempotencyKey: c.req.valid("header")["idempotency-key"],
    });
    if (replayed) {
      c.header("Idempotent-Replayed", "true");
      return c.json(inquiryView(inquiry, deps.now()), 200);
    }
    c.header("Location", `/inquiries/${inquiry.id}`);
    return c.json(inquiryView(inquiry, deps.now()), 201);
  });

  const list = createRoute({
    method: "get",
    path: "/inquiries",
    tags: ["Inquiries"],
    summary: "List inquiries, newest received first",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      query: z.object({
        source: sourceSchema.optional(),
        status: z.enum(INQUIRY_STATUSES).optional(),
        from: apiDateTime
          .optional()
          .openapi({ description: "received_at at or after (London time without an offset)" }),
        to: apiDateTime.optional().openapi({ description: "received_at before (London time without an offset)" }),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z.string().optional().openapi({ description: "next_cursor of the previous page" }),
      }),
    },
    responses: {
      200: {
        description: "One page",
        content: {
          "application/json": {
            schema: z
              .object({ items: z.array(InquirySchema), next_cursor: z.string().nullable() })
              .openapi("InquiryPage"),
          },
        },
      },
      ...problemResponses(400, 401, 403),
    },
  });

  app.openapi(list, async (c) => {
    const { source, status, from, to, limit, cursor } = c.req.valid("query");
    const page = await listInquiries(deps.db, { source, status, from, to }, { limit, cursor });
    return c.json({ items: page.items.map((i) => inquiryView(i, deps.now())), next_cursor: page.nextCursor }, 200);
  });

  const get = createRoute({
    method: "get",
    path: "/inquiries/{id}",
    tags: ["Inquiries"],
    summary: "One inquiry, by id or by reference (INQ-1042)",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: { params: z.object({ id: z.string().openapi({ example: "INQ-1042" }) }) },
    responses: {
      200: { description: "The inquiry", content: { "application/json": { schema: InquirySchema } } },
      ...problemResponses(401, 403, 404),
    },
  });

  app.openapi(get, async (c) =>
    c.json(inquiryView(await getInquiry(deps.db, c.req.valid("param").id), deps.now()), 200),
  );

  const patch = createRoute({
    method: "patch",
    path: "/inquiries/{id}",
    tags: ["Inquiries"],
    summary:
      "Change an inquiry's status (audited); once lost or closed, the customer's next chat message opens a new inquiry",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      params: z.object({ id: z.string().openapi({ example: "INQ-1042" }) }),
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({ status: z.enum(INQUIRY_STATUSES, { error: `must be one of ${INQUIRY_STATUSES.join(", ")}` }) })
              .strict(),
          },
        },
      },
    },
    responses: {
      200: { description: "The inquiry after the change", content: { "application/json": { schema: InquirySchema } } },
      ...problemResponses(400, 401, 403, 404, 409),
    },
  });

  app.openapi(patch, async (c) => {
    const inquiry = await changeNamedInquiryStatus(deps, {
      idOrReference: c.req.valid("param").id,
      status: c.req.valid("json").status,
      actorId: c.get("user").id,
    });
    return c.json(inquiryView(inquiry, deps.now()), 200);
  });

  const conversation = createRoute({
    method: "get",
    path: "/inquiries/{id}/messages",
    tags: ["Inquiries"],
    summary:
      "The inquiry's conversation: every message in and out, in the order the hub recorded them, with delivery status",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: { params: z.object({ id: z.string().openapi({ example: "INQ-1042" }) }) },
    responses: {
      200: {
        description: "The conversation",
        content: {
          "application/json": { schema: z.object({ items: z.array(MessageSchema) }).openapi("Conversation") },
        },
      },
      ...problemResponses(401, 403, 404),
    },
  });

  app.openapi(conversation, async (c) => {
    const entries = await conversationOf(deps.db, c.req.valid("param").id);
    return c.json({ items: entries.map((e) => messageView(e.message, e.authorName)) }, 200);
  });
}
