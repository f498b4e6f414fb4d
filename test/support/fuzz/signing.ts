// Deliveries to the routes that take a signed body, signed as their senders sign them or forged: no signature, another
// secret, a body changed after signing, a stale or early timestamp, garbage, another sender's signature, another
// partner's. Bodies are shaped like what each sender sends (deliveries.ts), so a forgery would get far if let in.
import { randomBytes } from "node:crypto";
import type fc from "fast-check";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { signatureOf } from "../../../channels/whatsapp/cloud/signature";
import { APP_SECRET } from "../../channels/whatsapp/cloud-fixtures";
import { signRevolutWebhook } from "../fakes/revolut";
import { WEBHOOK_SECRET } from "../setup/telegram";
import { revolutEvents, stripeEvents, telegramUpdates, whatsappWebhooks } from "./deliveries";
import type { FuzzWorld } from "./world";

export const SENDERS = ["telegram", "whatsapp", "stripe", "revolut", "partner"] as const;
export type Sender = (typeof SENDERS)[number];

export const FORGERIES = [
  "unsigned",
  "other secret",
  "body changed after signing",
  "stale",
  "early",
  "garbage",
  "another sender's signature",
  "another partner's path",
] as const;
export type Forgery = (typeof FORGERIES)[number];

export interface Delivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

const MINUTES_10 = 10 * 60_000;
/** Secrets the hub does not hold, in each scheme's own format. */
const OTHER = {
  telegram: `${WEBHOOK_SECRET}x`,
  whatsapp: `${APP_SECRET}-not-meta`,
  stripe: "whsec_not-the-hubs-secret-0123456789",
  revolut: "wsk_not-the-hubs-secret",
  partner: `whsec_${randomBytes(32).toString("base64")}`,
};

/** Where each sender posts. */
export function urlOf(world: FuzzWorld, sender: Sender): string {
  return {
    telegram: "/webhooks/telegram",
    whatsapp: "/webhooks/whatsapp",
    stripe: "/webhooks/stripe",
    revolut: "/webhooks/secondary",
    partner: `/partners/${world.signer.code}/inquiries`,
  }[sender];
}

/** Bodies each sender sends, serialised as sent. */
export function bodiesOf(world: FuzzWorld, sender: Sender): fc.Arbitrary<string> {
  const values = {
    telegram: () => telegramUpdates(world.real, world.chats),
    whatsapp: whatsappWebhooks,
    stripe: () => stripeEvents(world.real),
    revolut: () => revolutEvents(world.real),
    partner: () => world.examples["POST /partners/{code}/inquiries"]!,
  }[sender]();
  return (values as fc.Arbitrary<unknown>).map((v) => JSON.stringify(v) ?? "null");
}

/** The sender's signature headers over `body`, with its own secret unless another is given, at `at` (ms). */
export function signatureHeaders(
  world: FuzzWorld,
  sender: Sender,
  body: string,
  options: { secret?: string; at?: number; webhookId?: string } = {},
): Record<string, string> {
  const at = options.at ?? Date.now();
  const secret = options.secret;
  switch (sender) {
    case "telegram":
      return { "X-Telegram-Bot-Api-Secret-Token": secret ?? WEBHOOK_SECRET };
    case "whatsapp":
      return { "X-Hub-Signature-256": signatureOf(body, secret ?? APP_SECRET) };
    case "stripe":
      return secret
        ? {
            "stripe-signature": Stripe.webhooks.generateTestHeaderString({
              payload: body,
              secret,
              timestamp: Math.floor(at / 1000),
            }),
          }
        : (world.p.payments.sign("stripe", body, at).headers as Record<string, string>);
    case "revolut": {
      // Only the signature: the Content-Type is the request's own business.
      const { "content-type": _type, ...headers } = (
        secret ? signRevolutWebhook(secret, body, at) : world.p.payments.sign("revolut", body, at)
      ).headers as Record<string, string>;
      return headers;
    }
    case "partner": {
      const id = options.webhookId ?? `msg_${randomBytes(9).toString("hex")}`;
      return {
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(at / 1000)),
        "webhook-signature": new Webhook(secret ?? world.signer.secret).sign(id, new Date(at), body),
      };
    }
  }
}

/** A genuine delivery of `body`: what the sender would post. */
export function genuine(world: FuzzWorld, sender: Sender, body: string): Delivery {
  return { url: urlOf(world, sender), body, headers: signatureHeaders(world, sender, body) };
}

/** Header values that are no signature of anything. */
const GARBAGE = ["", "v1,", "sha256=", "t=1,v1=00", "v1=zz", "x".repeat(600), "null", "' OR '1'='1"];

/** `body` forged the way `how` says; `pick` chooses among garbage values and other senders. */
export function forged(world: FuzzWorld, sender: Sender, body: string, how: Forgery, pick: number): Delivery {
  const url = urlOf(world, sender);
  const timed = sender === "stripe" || sender === "revolut" || sender === "partner";
  switch (how) {
    case "unsigned":
      return { url, body, headers: {} };
    case "other secret":
      return { url, body, headers: signatureHeaders(world, sender, body, { secret: OTHER[sender] }) };
    case "body changed after signing": {
      const headers = signatureHeaders(world, sender, body);
      // A Telegram secret does not cover the body: what the hub takes then is an update Telegram did send, so a
      // changed body there is a wrong secret token instead.
      if (sender === "telegram")
        return { url, body, headers: { "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET.slice(1) } };
      return { url, body: changedBody(body, pick), headers };
    }
    case "stale":
    case "early": {
      if (!timed) return forged(world, sender, body, "other secret", pick);
      const at = Date.now() + (how === "stale" ? -MINUTES_10 : MINUTES_10);
      return { url, body, headers: signatureHeaders(world, sender, body, { at }) };
    }
    case "garbage": {
      const name = Object.keys(signatureHeaders(world, sender, body)).find((h) => /signature|secret-token/i.test(h))!;
      return {
        url,
        body,
        headers: { ...signatureHeaders(world, sender, body), [name]: GARBAGE[pick % GARBAGE.length]! },
      };
    }
    case "another sender's signature": {
      const others = SENDERS.filter((s) => s !== sender);
      const other = others[pick % others.length]!;
      return { url, body, headers: signatureHeaders(world, other, body) };
    }
    case "another partner's path": {
      // Signed by the signer partner, posted to another partner's address (or one that does not exist).
      const codes = [...(world.real.partner ?? []), "no-such-partner"];
      const code = codes[pick % codes.length]!;
      if (sender !== "partner") return forged(world, sender, body, "other secret", pick);
      return {
        url: `/partners/${encodeURIComponent(code)}/inquiries`,
        body,
        headers: signatureHeaders(world, "partner", body),
      };
    }
  }
}

/** The body with one byte's worth of difference: a space added, a digit or a letter changed. */
function changedBody(body: string, pick: number): string {
  const at = body.search(/\d/);
  if (pick % 3 === 1 && at >= 0) return body.slice(0, at) + String((Number(body[at]) + 1) % 10) + body.slice(at + 1);
  const renamed = body.replace(/"([a-z])/, (_, c: string) => `"${c === "a" ? "b" : "a"}`);
  return pick % 3 === 2 && renamed !== body ? renamed : `${body} `;
}

/** Posts a delivery as its sender would: JSON, with the headers given. */
export async function post(world: FuzzWorld, delivery: Delivery) {
  const response = await world.p.hub.app.request(delivery.url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...delivery.headers },
    body: delivery.body,
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}
