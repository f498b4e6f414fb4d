// WhatsApp through Meta's Cloud API: a signed webhook in, the Graph API out, and the 24-hour customer window.
import type { Context } from "hono";
import type { ChannelAdapter, OutboundMessage } from "../../adapter";
import type { ChannelDeps } from "../../deps";
import { HubError } from "../../../hub/core/errors";
import { receiveReceipt } from "../../../hub/conversations";
import { receiveWhatsApp } from "../receive";
import { problem } from "../../../hub/http/problem";
import {
  buttonsMessage,
  linkButtonMessage,
  sendToGraph,
  templateMessage,
  textMessage,
  type GraphSettings,
} from "./graph";
import { inboundMessages, receipts, WebhookSchema } from "./payload";
import { deliveryRoute, verifyRoute } from "./routes";
import { sameSecret } from "../../../hub/auth/same-secret";
import { rejectWebhook } from "../../../hub/core/webhook-rejections";
import { isSignedByMeta } from "./signature";

export interface CloudSettings extends GraphSettings {
  verifyToken: string;
  appSecret: string;
  reopenTemplate?: string;
  templateLanguage: string;
}

export function whatsappCloudChannel(deps: ChannelDeps, settings: CloudSettings): ChannelAdapter {
  const logger = deps.logger.child({ channel: "whatsapp", driver: "cloud" });

  return {
    source: "whatsapp",
    status: () => ({
      connected: true,
      mode: settings.reopenTemplate ? "cloud, reopening template set" : "cloud",
      warnings: [],
    }),
    mount(app) {
      app.openAPIRegistry.registerPath(verifyRoute);
      app.openAPIRegistry.registerPath(deliveryRoute);
      // Meta's subscription handshake: echo the challenge only to someone who knows the verify token.
      app.get("/webhooks/whatsapp", (c) => {
        const mode = c.req.query("hub.mode");
        const token = c.req.query("hub.verify_token") ?? "";
        const challenge = c.req.query("hub.challenge") ?? "";
        if (mode !== "subscribe" || !sameSecret(token, settings.verifyToken)) {
          return problem(c, 403, "hub.mode must be subscribe and hub.verify_token must be WHATSAPP_VERIFY_TOKEN.");
        }
        return c.text(challenge, 200);
      });

      app.post("/webhooks/whatsapp", async (c) => {
        const raw = await c.req.text();
        if (!isSignedByMeta(raw, c.req.header("X-Hub-Signature-256"), settings.appSecret)) {
          const reason =
            "X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with WHATSAPP_APP_SECRET.";
          await rejectWebhook(deps, { endpoint: "/webhooks/whatsapp", sender: "whatsapp", reason });
          return problem(c, 401, reason);
        }
        // json() parses the same cached bytes, with text the database can store (hub/http/storable-input.ts).
        const parsed = WebhookSchema.safeParse(await c.req.json().catch(() => undefined));
        if (!parsed.success) return problem(c, 400, "The body is not a WhatsApp Business Account webhook.");
        return handleWebhook(c, parsed.data);
      });
    },

    send: (message) => sendToGraph(settings, message.chatId, whatsappBody(message)),

    replyWindow: {
      hours: 24,
      reopen: settings.reopenTemplate
        ? (message, values) =>
            sendToGraph(
              settings,
              message.chatId,
              templateMessage(settings.reopenTemplate!, settings.templateLanguage, values.reference),
            )
        : undefined,
    },
  };

  async function handleWebhook(c: Context, webhook: ReturnType<typeof WebhookSchema.parse>) {
    let skipped = 0;
    for (const message of inboundMessages(webhook)) {
      try {
        await receiveWhatsApp(deps, message);
      } catch (error) {
        // A message the pipeline refuses (a chat id that is no phone number) would be refused again: Meta must not
        // redeliver it forever. Anything else answers 500 and Meta redelivers; the message ids keep that harmless.
        if (!(error instanceof HubError) || error.kind !== "invalid") throw error;
        logger.warn({ err: error, wamid: message.messageId }, "WhatsApp message refused by the pipeline; skipped");
        skipped++;
      }
    }
    for (const receipt of receipts(webhook)) {
      // Meta can answer before the hub has recorded the send's wamid: such a receipt is kept and applied then.
      if ((await receiveReceipt(deps.db, { source: "whatsapp", ...receipt })) === "kept") {
        logger.debug(
          { wamid: receipt.externalMessageId, status: receipt.status },
          "receipt for no message recorded yet; kept",
        );
      }
    }
    return c.json({ received: true, skipped }, 200);
  }
}

/** Reply buttons for choices, a CTA URL button for a link (WhatsApp allows one of them per message), else text. */
function whatsappBody(message: OutboundMessage) {
  const link = message.actions?.find((a): a is typeof a & { url: string } => Boolean(a.url));
  if (link) return linkButtonMessage(message.text, link);
  return message.actions?.length ? buttonsMessage(message.text, message.actions) : textMessage(message.text);
}
