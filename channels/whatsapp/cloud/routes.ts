// The WhatsApp Cloud webhook as the OpenAPI document shows it; the handlers read the raw body themselves.
import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../../../hub/http/problem";

export const verifyRoute = createRoute({
  method: "get",
  path: "/webhooks/whatsapp",
  tags: ["Channels"],
  summary: "Meta's webhook verification handshake: echoes hub.challenge when hub.verify_token is WHATSAPP_VERIFY_TOKEN",
  security: [],
  request: {
    query: z.object({
      "hub.mode": z.literal("subscribe"),
      "hub.verify_token": z.string(),
      "hub.challenge": z.string(),
    }),
  },
  responses: {
    200: { description: "The challenge, as plain text", content: { "text/plain": { schema: z.string() } } },
    ...problemResponses(403),
  },
});

export const deliveryRoute = createRoute({
  method: "post",
  path: "/webhooks/whatsapp",
  tags: ["Channels"],
  summary: "WhatsApp Cloud API deliveries: customers' messages and receipts for what the hub sent",
  description:
    "Signed by Meta: X-Hub-Signature-256 is `sha256=` + hex HMAC-SHA256 of the raw body with WHATSAPP_APP_SECRET. " +
    "Messages open or join inquiries (the wamid dedupes redeliveries); statuses move outbound messages forward.",
  security: [],
  request: {
    headers: z.object({
      "x-hub-signature-256": z
        .string()
        .openapi({ example: "sha256=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39" }),
    }),
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({ object: z.literal("whatsapp_business_account"), entry: z.array(z.unknown()) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Taken",
      content: { "application/json": { schema: z.object({ received: z.literal(true), skipped: z.int() }) } },
    },
    ...problemResponses(400, 401),
  },
});
