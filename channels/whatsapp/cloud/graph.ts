// The Graph API messages endpoint: free-form text inside the 24-hour window, an approved template outside it.
import type { MessageAction } from "../../../db/schema";
import { ChannelSendError, type SentMessage } from "../../adapter";

export interface GraphSettings {
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
  timeoutMs?: number;
}

/** Graph error codes after which sending the same message again cannot succeed (Meta's error code reference). */
const PERMANENT_CODES = new Set([
  100, // invalid parameter
  131008, // required parameter missing
  131009, // parameter value invalid
  131026, // message undeliverable (not a WhatsApp user, old app, blocked)
  131047, // re-engagement needed: more than 24 hours since the customer last wrote
  131051, // unsupported message type
  132000, // template parameter count mismatch
  132001, // template does not exist
]);

export async function sendToGraph(
  settings: GraphSettings,
  to: string,
  message: Record<string, unknown>,
): Promise<SentMessage> {
  let response: Response;
  try {
    response = await fetch(`${settings.graphUrl.replace(/\/$/, "")}/${settings.phoneNumberId}/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${settings.accessToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to, ...message }),
      signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new ChannelSendError(
      `WhatsApp Graph API did not answer: ${error instanceof Error ? error.message : error}`,
      true,
      { cause: error },
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    messages?: { id: string }[];
    error?: { code?: number; message?: string; error_data?: { details?: string } };
  };
  if (response.ok && body.messages?.[0]?.id) return { externalMessageId: body.messages[0].id, raw: body };
  const code = body.error?.code;
  const reason = `WhatsApp Graph API ${response.status}${code ? ` (code ${code})` : ""}: ${body.error?.error_data?.details ?? body.error?.message ?? "no message id in the answer"}`;
  // Rate limits, Meta's own trouble and unknown answers are worth another try; a refusal of this message is not.
  const permanent =
    (code !== undefined && PERMANENT_CODES.has(code)) || response.status === 401 || response.status === 403;
  throw new ChannelSendError(reason, !permanent);
}

export const textMessage = (text: string) => ({ type: "text", text: { body: text, preview_url: false } });

/** Interactive reply buttons (at most 3, titles at most 20 characters); the chosen id comes back in the webhook. */
export const buttonsMessage = (text: string, actions: MessageAction[]) => ({
  type: "interactive",
  interactive: {
    type: "button",
    body: { text },
    action: {
      buttons: actions.slice(0, 3).map((a) => ({ type: "reply", reply: { id: a.id, title: a.title.slice(0, 20) } })),
    },
  },
});

/** A call-to-action URL button (one per message): the payment link, opened in the customer's browser. */
export const linkButtonMessage = (text: string, action: MessageAction & { url: string }) => ({
  type: "interactive",
  interactive: {
    type: "cta_url",
    body: { text },
    action: { name: "cta_url", parameters: { display_text: action.title.slice(0, 20), url: action.url } },
  },
});

/** A template with the inquiry reference as its one body parameter ({{1}} in the template Meta approved). */
export const templateMessage = (name: string, language: string, reference: string) => ({
  type: "template",
  template: {
    name,
    language: { code: language },
    components: [{ type: "body", parameters: [{ type: "text", text: reference }] }],
  },
});
