// WhatsApp Cloud API fixtures: the hub's settings for a fake Graph API, signed webhooks as Meta sends them.
import { createHash } from "node:crypto";
import { signatureOf } from "../../../channels/whatsapp/cloud/signature";
import type { TestHub } from "../../support/hub";
import type { FakeGraph } from "../../support/fakes/whatsapp-graph";

export const APP_SECRET = "app-secret-for-tests";
export const VERIFY_TOKEN = "verify-token-for-tests";
export const PHONE_NUMBER_ID = "1234567890";

export const settings = (graph: FakeGraph, extra: Record<string, string> = {}) => ({
  WHATSAPP_DRIVER: "cloud",
  WHATSAPP_APP_SECRET: APP_SECRET,
  WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_ACCESS_TOKEN: "graph-access-token",
  WHATSAPP_GRAPH_URL: graph.url,
  ...extra,
});

/** A UK mobile number (as wa_id, no "+") made from any label, so each label is its own customer. */
export const waIdOf = (label: string) =>
  `447912${((parseInt(createHash("sha256").update(label).digest("hex").slice(0, 8), 16) % 900_000) + 100_000).toString()}`;

export interface FixtureMessage {
  id: string;
  from: string;
  type?: string;
  text?: string;
  timestamp?: Date;
  extra?: Record<string, unknown>;
}

export function webhook(messages: FixtureMessage[], statuses: Record<string, unknown>[] = []) {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "WABA_ID",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "447700900000", phone_number_id: PHONE_NUMBER_ID },
              contacts: messages.map((m) => ({ wa_id: m.from, profile: { name: "Alice Customer" } })),
              messages: messages.map((m) => ({
                from: m.from,
                id: m.id,
                timestamp: String(Math.floor((m.timestamp ?? new Date()).getTime() / 1000)),
                type: m.type ?? "text",
                ...(m.type === undefined || m.type === "text"
                  ? { text: { body: m.text ?? "Hello, a table for four please" } }
                  : {}),
                ...m.extra,
              })),
              statuses,
            },
          },
        ],
      },
    ],
  };
}

export async function post(t: TestHub, body: unknown, secret = APP_SECRET, signature?: string) {
  const raw = JSON.stringify(body);
  return t.request("POST", "/webhooks/whatsapp", {
    key: null,
    body: raw,
    headers: { "X-Hub-Signature-256": signature ?? signatureOf(raw, secret) },
  });
}
