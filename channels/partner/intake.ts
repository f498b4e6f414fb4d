// POST /partners/{code}/inquiries: a partner's signed lead, verified on its raw bytes before anything is read or
// stored.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { partners } from "../../db/schema";
import { HubError } from "../../hub/core/errors";
import { rejectWebhook } from "../../hub/core/webhook-rejections";
import type { HubEnv } from "../../hub/http/context";
import { requireMediaType } from "../../hub/http/media-type";
import { problemResponses } from "../../hub/http/problem";
import { londonDateTime } from "../../hub/http/views/inquiry";
import { ingestInquiry, inquiryReference, type InquiryRecord } from "../../hub/pipeline";
import { formatLondon } from "../../hub/core/time";
import type { ChannelDeps } from "../deps";
import { MAX_WEBHOOK_ID_LENGTH, PartnerInquiryBody, partnerIdempotencyKey, partnerInquiryInput } from "./inquiry-body";
import { verifySignature } from "./verify-signature";

const PartnerInquiryReceipt = z
  .object({
    id: z.uuid(),
    reference: z.string().openapi({ example: "INQ-1042" }),
    status: z.string().openapi({ example: "new" }),
    partner_code: z.string(),
    received_at: londonDateTime,
    sla_deadline_at: londonDateTime.openapi({ description: "When the business will have answered, London time" }),
  })
  .openapi("PartnerInquiryReceipt");

const receipt = (inquiry: InquiryRecord) => ({
  id: inquiry.id,
  reference: inquiryReference(inquiry.number),
  status: inquiry.status,
  partner_code: inquiry.partnerCode!,
  received_at: formatLondon(inquiry.receivedAt),
  sla_deadline_at: formatLondon(inquiry.slaDeadlineAt),
});

export const partnerIntakeRoute = createRoute({
  method: "post",
  path: "/partners/{code}/inquiries",
  tags: ["Partners"],
  summary: "A partner's lead, signed per Standard Webhooks with the partner's whsec_ secret",
  description:
    "The signature covers `<webhook-id>.<webhook-timestamp>.<raw body>` (HMAC-SHA256, `v1,<base64>`); the timestamp " +
    "must be within 5 minutes of the hub's clock. The webhook-id is the idempotency key: the same id and body again " +
    "answers 200 with the same inquiry, the same id with another body 409. Unknown partner or bad signature: 401; " +
    "suspended partner: 403. partner_code comes from the path, never from the body.",
  security: [],
  request: {
    params: z.object({ code: z.string().openapi({ example: "london-tours" }) }),
    headers: z.object({
      "webhook-id": z
        .string()
        .max(MAX_WEBHOOK_ID_LENGTH)
        .openapi({ example: "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", description: "Unique per lead; the idempotency key" }),
      "webhook-timestamp": z.string().openapi({ example: "1751360400", description: "Unix seconds when signed" }),
      "webhook-signature": z.string().openapi({
        example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
        description: "Space-separated `v1,<base64>` signatures",
      }),
    }),
    body: { required: true, content: { "application/json": { schema: PartnerInquiryBody } } },
  },
  responses: {
    201: { description: "Taken in", content: { "application/json": { schema: PartnerInquiryReceipt } } },
    200: {
      description: "A redelivery of the same webhook-id and body: the first inquiry (header Idempotent-Replayed: true)",
      content: { "application/json": { schema: PartnerInquiryReceipt } },
    },
    ...problemResponses(400, 401, 403, 409, 413, 415),
  },
});

export function mountPartnerIntake(deps: ChannelDeps, app: OpenAPIHono<HubEnv>): void {
  // Documented through the registry but served by a plain handler: zod-openapi's validators would read the body as
  // JSON and answer 400 before the signature over its raw bytes is checked.
  app.openAPIRegistry.registerPath(partnerIntakeRoute);
  // The body is JSON, as on every API route: another type is refused before the partner is even looked up.
  const json = requireMediaType("application/json", "Send the lead as JSON with `Content-Type: application/json`.");
  app.post("/partners/:code/inquiries", json, async (c) => {
    const code = c.req.param("code");
    const raw = await c.req.text();
    const [partner] = await deps.db
      .select({ status: partners.status, signingSecret: partners.signingSecret })
      .from(partners)
      .where(eq(partners.code, code));
    // Throws 401 for an unknown partner too, so from here on the partner exists.
    let webhookId: string;
    try {
      webhookId = verifySignature(partner?.signingSecret, raw, (name) => c.req.header(name));
    } catch (error) {
      if (error instanceof HubError && error.kind === "unauthorized")
        await rejectWebhook(deps, { endpoint: "/partners/{code}/inquiries", sender: "partner", reason: error.message });
      throw error;
    }
    if (partner!.status !== "active") {
      throw new HubError(
        "forbidden",
        `Partner "${code}" is ${partner!.status}: its leads are not taken until the business reactivates it.`,
      );
    }

    // json() parses the same cached bytes, with text the database can store (hub/http/storable-input.ts).
    const body: unknown = await c.req.json().catch(() => {
      throw new HubError("invalid", "The body is not JSON: send one JSON object, signed as sent.", [
        { field: "(body)", message: "is not JSON" },
      ]);
    });
    const input = partnerInquiryInput(body, code, webhookId);
    try {
      const { inquiry, replayed } = await ingestInquiry(deps, input, {
        idempotencyKey: partnerIdempotencyKey(code, webhookId),
        webhookPayload: body,
      });
      if (replayed) c.header("Idempotent-Replayed", "true");
      return c.json(receipt(inquiry), replayed ? 200 : 201);
    } catch (error) {
      if (error instanceof HubError && error.kind === "conflict") {
        throw new HubError(
          "conflict",
          `webhook-id "${webhookId}" was already used for a lead with a different body; use a new webhook-id for a new lead.`,
        );
      }
      throw error;
    }
  });
}
