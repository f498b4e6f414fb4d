// The payment providers' webhooks. Each is verified over the raw body by its provider's adapter before anything is
// stored: a forged or stale one gets 400 and changes nothing, as does a signed one the hub cannot read; a replay or
// an event about a page the hub does not know gets 200, so the provider stops sending it.
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { type OnlineSlot, receivePaymentWebhook } from "../../../payments";
import type { AppDeps, HubEnv } from "../context";
import { problemResponses } from "../problem";

const ReceivedSchema = z
  .object({
    received: z.literal(true),
    result: z.enum(["processed", "duplicate", "unknown", "ignored"]),
    kind: z.string().openapi({ description: "paid, failed, expired, refunded or ignored" }),
  })
  .openapi("PaymentWebhookReceipt");

const SIGNATURES: Record<OnlineSlot, string> = {
  stripe: "Stripe-Signature (stripe.webhooks.constructEvent over the raw body, 5-minute tolerance either way)",
  secondary:
    "Revolut-Signature with Revolut-Request-Timestamp (SECONDARY_PROVIDER=revolut), or Cko-Signature (checkout)",
};

export function paymentWebhookRoutes(deps: AppDeps, app: OpenAPIHono<HubEnv>) {
  for (const slot of ["stripe", "secondary"] as const) {
    const path = `/webhooks/${slot}`;
    app.openAPIRegistry.registerPath(
      createRoute({
        method: "post",
        path,
        tags: ["Payments"],
        summary: `The ${slot} payment provider's webhook, verified by ${SIGNATURES[slot]}`,
        security: [],
        request: { body: { required: true, content: { "application/json": { schema: z.object({}).passthrough() } } } },
        responses: {
          200: {
            description: "Taken (or a replay, or not ours)",
            content: { "application/json": { schema: ReceivedSchema } },
          },
          ...problemResponses(400, 404, 413, 503),
        },
      }),
    );
    app.post(path, async (c) => {
      // The signature covers the bytes as sent: the body is read as text, never parsed and re-serialised first.
      const raw = await c.req.text();
      const headers = Object.fromEntries(c.req.raw.headers.entries());
      const outcome = await receivePaymentWebhook(deps.payments.deps, deps.payments, slot, raw, headers);
      return c.json({ received: true as const, result: outcome.result, kind: outcome.kind }, 200);
    });
  }
}
