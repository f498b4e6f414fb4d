// Answering customers: staff replies in the customer's own chat, and contacts logged outside it.
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { MAX_REPLY_LENGTH, replyToNamedInquiry } from "../../conversations";
import { CONTACT_KINDS, type ContactRow, contactsOf, logContact } from "../../inquiries";
import { formatLondon } from "../../core/time";
import { bearerSecurity, requireRole } from "../auth";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";
import { londonDateTime } from "../views/inquiry";
import { messageView, MessageSchema } from "../views/message";

const IdParam = z.object({ id: z.string().openapi({ example: "INQ-1042" }) });

const ContactSchema = z
  .object({
    id: z.uuid(),
    inquiry_id: z.uuid(),
    kind: z.enum(CONTACT_KINDS),
    note: z.string(),
    author_id: z.uuid(),
    author_name: z.string(),
    created_at: londonDateTime,
  })
  .openapi("Contact");

const contactView = (row: ContactRow, authorName: string) => ({
  id: row.id,
  inquiry_id: row.inquiryId,
  kind: row.kind,
  note: row.note,
  author_id: row.authorId,
  author_name: authorName,
  created_at: formatLondon(row.createdAt),
});

export function responseRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  const asOperator = requireRole(deps.auth, "operator");

  const reply = createRoute({
    method: "post",
    path: "/inquiries/{id}/messages",
    tags: ["Inquiries"],
    summary: "Answer the customer in the chat the lead came from (Telegram or WhatsApp)",
    description:
      "Queues the text for the inquiry's chat through the outbox and its channel: retries, delivery status and WhatsApp's " +
      "24-hour window apply as to every message. The customer sees the text only, not who wrote it. Once sent, it is the " +
      "inquiry's first response if there was none. A lead without a chat (web_form, phone, partner) gets 409 with the " +
      "client's phone or e-mail.",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      params: IdParam,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({
                text: z
                  .string()
                  .trim()
                  .min(1, "must not be empty")
                  .max(MAX_REPLY_LENGTH, `must be at most ${MAX_REPLY_LENGTH} characters`),
              })
              .strict(),
          },
        },
      },
    },
    responses: {
      202: { description: "Queued for the chat", content: { "application/json": { schema: MessageSchema } } },
      ...problemResponses(400, 401, 403, 404, 409, 413, 415),
    },
  });

  app.openapi(reply, async (c) => {
    const user = c.get("user");
    const { inquiry, message } = await replyToNamedInquiry(deps, {
      idOrReference: c.req.valid("param").id,
      authorId: user.id,
      text: c.req.valid("json").text,
    });
    c.header("Location", `/inquiries/${inquiry.id}/messages`);
    return c.json(messageView(message, user.name), 202);
  });

  const addContact = createRoute({
    method: "post",
    path: "/inquiries/{id}/contacts",
    tags: ["Inquiries"],
    summary: "Log a contact with the customer outside the chat (a call, an e-mail, a visit); audited",
    description:
      "The first contact, or the first sent staff message, is the inquiry's first response: it stops the SLA clock.",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: {
      params: IdParam,
      body: {
        required: true,
        content: {
          "application/json": {
            schema: z
              .object({
                kind: z.enum(CONTACT_KINDS, { error: `must be one of ${CONTACT_KINDS.join(", ")}` }),
                note: z.string().trim().min(1, "must not be empty").max(4000),
              })
              .strict(),
          },
        },
      },
    },
    responses: {
      201: { description: "Logged", content: { "application/json": { schema: ContactSchema } } },
      ...problemResponses(400, 401, 403, 404, 413, 415),
    },
  });

  app.openapi(addContact, async (c) => {
    const user = c.get("user");
    const { kind, note } = c.req.valid("json");
    const row = await logContact(deps, {
      inquiry: c.req.valid("param").id,
      kind,
      note,
      authorId: user.id,
      at: deps.now(),
    });
    return c.json(contactView(row, user.name), 201);
  });

  const listContacts = createRoute({
    method: "get",
    path: "/inquiries/{id}/contacts",
    tags: ["Inquiries"],
    summary: "The contacts logged with the customer, oldest first",
    security: bearerSecurity,
    middleware: [asOperator] as const,
    request: { params: IdParam },
    responses: {
      200: {
        description: "The contacts",
        content: { "application/json": { schema: z.object({ items: z.array(ContactSchema) }).openapi("ContactList") } },
      },
      ...problemResponses(401, 403, 404),
    },
  });

  app.openapi(listContacts, async (c) => {
    const entries = await contactsOf(deps.db, c.req.valid("param").id);
    return c.json({ items: entries.map((e) => contactView(e.contact, e.authorName)) }, 200);
  });
}
