// A lead sent through each way in from outside (the API, the web form as JSON and as a browser's form, a partner,
// Telegram and WhatsApp), each signed as its sender signs, with the inquiry it became, to read back what was stored.
import { sql } from "drizzle-orm";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import { type Called, call } from "./client";
import { signatureHeaders } from "./signing";
import type { FuzzWorld } from "./world";

/** The ways a lead's text reaches the hub from outside. */
export const INTAKES = ["api", "form json", "form page", "partner", "telegram", "whatsapp"] as const;
export type Intake = (typeof INTAKES)[number];
let leads = 0;

/** Sends a lead whose message (and name, where the intake takes one) is `text`; the answer and the inquiry stored. */
export async function sendLead(
  world: FuzzWorld,
  intake: Intake,
  text: string,
): Promise<{ status: number; id?: string; answer: Called }> {
  const t = world.p;
  const n = ++leads;
  const client = { name: text, email: `inject${n}@example.co.uk` };
  const byReference = async (answer: Called, reference: string | undefined) => ({
    status: answer.status,
    id: reference ? (await call(t, "GET", `/inquiries/${reference}`)).json?.id : undefined,
    answer,
  });
  const byChat = async (answer: Called, chat: string) => {
    const [row] = await t.rows<{ id: string }>(sql`select id::text from inquiries where external_chat_id = ${chat}`);
    return { status: answer.status, id: row?.id, answer };
  };
  switch (intake) {
    case "api": {
      const a = await call(t, "POST", "/inquiries", { body: { source: "web_form", client, message: text } });
      return { status: a.status, id: a.json?.id, answer: a };
    }
    case "form json": {
      const a = await call(t, "POST", "/forms/inquiry", {
        key: null,
        headers: { "X-Forwarded-For": "198.51.100.79" },
        body: { ...client, message: text },
      });
      return byReference(a, a.json?.reference);
    }
    case "form page": {
      const a = await call(t, "POST", "/forms/inquiry", {
        key: null,
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "text/html",
          "X-Forwarded-For": "198.51.100.79",
        },
        body: new URLSearchParams({ ...client, message: text }).toString(),
      });
      return byReference(a, /INQ-\d+/.exec(a.body)?.[0]);
    }
    case "partner": {
      // A number of its own: a known one is the client already, and keeps the name it has.
      const body = JSON.stringify({ client: { ...client, phone: `+44 7911 ${200_000 + n}` }, message: text });
      const a = await call(t, "POST", `/partners/${world.signer.code}/inquiries`, {
        key: null,
        body,
        headers: signatureHeaders(world, "partner", body),
      });
      return { status: a.status, id: a.json?.id, answer: a };
    }
    case "telegram": {
      const chat = newChatId();
      const body = JSON.stringify(textUpdate({ chatId: chat, messageId: 1 }, text));
      const a = await call(t, "POST", "/webhooks/telegram", {
        key: null,
        body,
        headers: signatureHeaders(world, "telegram", body),
      });
      return byChat(a, String(chat));
    }
    case "whatsapp": {
      const from = waIdOf(`inject-${n}`);
      const body = JSON.stringify(webhook([{ id: `wamid.inject-${n}`, from, text }]));
      const a = await call(t, "POST", "/webhooks/whatsapp", {
        key: null,
        body,
        headers: signatureHeaders(world, "whatsapp", body),
      });
      return byChat(a, from);
    }
  }
}
