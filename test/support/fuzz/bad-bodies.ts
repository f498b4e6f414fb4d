// Request bodies that are wrong as a whole, for every route that reads one: a JSON body sent as text, form fields
// where JSON is taken and JSON where a form is, no Content-Type, multipart, one byte over the limit, bytes that are
// not UTF-8. Each is otherwise a body the route takes (a lead, a delivery its sender signs), so the one fault is what
// the hub has to refuse.
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { MAX_BODY_BYTES } from "../../../hub/http/app";
import { PROOF_BODY_LIMIT } from "../../../hub/http/routes/payments";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import type { Endpoint } from "./requests";
import { kindOf } from "./schema-values";
import type { Sender } from "./signing";
import type { FuzzWorld } from "./world";

/** The routes whose body is signed, and who signs it. */
export const SIGNED_BY: Record<string, Sender> = {
  "POST /webhooks/telegram": "telegram",
  "POST /webhooks/whatsapp": "whatsapp",
  "POST /webhooks/stripe": "stripe",
  "POST /webhooks/secondary": "revolut",
  "POST /partners/{code}/inquiries": "partner",
};
const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** An address for the route with rows that exist in its path: the bad body, not a missing row, is what is refused. */
export function urlFor(world: FuzzWorld, endpoint: Endpoint): string {
  const segments = endpoint.path.split("/");
  return segments
    .map((segment, i) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!name) return segment;
      if (SIGNED_BY[`${endpoint.method} ${endpoint.path}`] === "partner") return world.signer.code;
      if (name === "key") return "inquiry.acknowledged";
      if (name === "source") return "web_form";
      const kind =
        name === "name" ? "asset" : name !== "id" && kindOf(name) ? kindOf(name) : kindOf(segments[i - 1] ?? "");
      return encodeURIComponent(world.real[kind ?? ""]?.[0] ?? "x");
    })
    .join("/");
}

let deliveries = 0;
/**
 * A body the route takes, so that the one bad thing about each case is what is refused: a lead for the intake
 * routes, a delivery its sender would sign for a webhook, else the route's example (or {}).
 */
function takenBody(world: FuzzWorld, endpoint: Endpoint, seed: number): Record<string, unknown> {
  const n = ++deliveries;
  const sender = SIGNED_BY[`${endpoint.method} ${endpoint.path}`];
  const deliveryOf: Record<Sender, () => Record<string, unknown>> = {
    telegram: () => textUpdate({ chatId: newChatId(), messageId: 1 }, "A table for two on Friday"),
    whatsapp: () => webhook([{ id: `wamid.bad-input-${n}`, from: waIdOf(`bad-input-${n}`), text: "A table for two" }]),
    stripe: () => ({
      id: `evt_bad_input_${n}`,
      object: "event",
      type: "checkout.session.completed",
      created: Math.floor(Date.now() / 1000),
      data: {
        object: { id: "cs_test_nosuchsession", object: "checkout.session", payment_status: "paid", metadata: {} },
      },
    }),
    revolut: () => ({ event: "ORDER_COMPLETED", order_id: randomUUID(), merchant_order_ext_ref: "BKG-1" }),
    partner: () => ({
      client: { name: "Ann Lee", phone: "+44 7911 123456" },
      message: "A table for four",
      party_size: 4,
    }),
  };
  if (sender) return deliveryOf[sender]();
  const example = world.examples[`${endpoint.method} ${endpoint.path}`];
  return example ? fc.sample(example, { seed, numRuns: 1 })[0]! : {};
}

export interface BadBody {
  /** What is wrong, as the test's name says it. */
  name: string;
  /** The routes it is sent to. */
  applies(endpoint: Endpoint): boolean;
  make(endpoint: Endpoint): { contentType?: string; body: string | Uint8Array };
  /** The one status it must get, when the case has one. */
  status?: number;
}

/**
 * Routes that read a body. The console's forms answer a bad one by redirecting with a message (its own tests cover
 * them); its sign-in form is the one a stranger can post to.
 */
const takesBody = (e: Endpoint) =>
  WRITES.has(e.method) && (Boolean(e.operation.requestBody) || e.path === "/b/{token}" || e.path === "/console");
const takesJson = (e: Endpoint) => Boolean(e.operation.requestBody?.content["application/json"]);
const takesForm = (e: Endpoint) =>
  takesBody(e) &&
  (Boolean(e.operation.requestBody?.content["application/x-www-form-urlencoded"]) || !e.operation.requestBody);
/**
 * A provider's webhook (Telegram, Meta, Stripe, Revolut) reads the bytes it verified whatever their Content-Type says:
 * the signature, not the header, says who sent them (a forged one is refused: signing.ts). Their types are not tried.
 */
const typed = (e: Endpoint) =>
  takesBody(e) && !["telegram", "whatsapp", "stripe", "revolut"].includes(SIGNED_BY[`${e.method} ${e.path}`] ?? "");
const utf8 = (text: string) => new TextEncoder().encode(text);
/** The body with two bytes that are not UTF-8 (0xC3 0x28: a lead byte, then no continuation) in its first string. */
const notUtf8 = (value: Record<string, unknown>) => {
  const text = JSON.stringify(Object.keys(value).length ? value : { message: "caf" });
  const at = text.indexOf(':"') + 2;
  return new Uint8Array([...utf8(text.slice(0, at)), 0xc3, 0x28, ...utf8(text.slice(at))]);
};

/** Each bad body, for the routes it fits; bodies that fit the route but for the one fault, about rows that exist. */
export function badBodies(world: FuzzWorld, seed: number): BadBody[] {
  const taken = (e: Endpoint) => takenBody(world, e, seed);
  return [
    {
      name: "a JSON body sent as text/plain",
      applies: (e) => typed(e) && takesJson(e),
      make: (e) => ({ contentType: "text/plain", body: JSON.stringify(taken(e)) }),
    },
    {
      name: "form fields where JSON is taken",
      applies: (e) => typed(e) && takesJson(e) && !takesForm(e),
      make: (e) => ({
        contentType: "application/x-www-form-urlencoded",
        body: new URLSearchParams(
          Object.entries(taken(e)).map(([k, v]): [string, string] => [k, String(v)]),
        ).toString(),
      }),
    },
    {
      name: "JSON where a form is taken",
      applies: (e) => typed(e) && takesForm(e) && !takesJson(e),
      make: () => ({
        contentType: "application/json",
        body: JSON.stringify({ action: "accept", key: world.keys.admin }),
      }),
    },
    {
      name: "no Content-Type",
      applies: typed,
      make: (e) => ({ body: utf8(JSON.stringify(taken(e))) }),
    },
    {
      name: "a multipart body where JSON is taken",
      applies: (e) => typed(e) && takesJson(e),
      make: () => ({
        contentType: "multipart/form-data; boundary=zzz",
        body: '--zzz\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--zzz--\r\n',
      }),
    },
    {
      name: "a body one byte over the limit",
      applies: (e) => WRITES.has(e.method) && (!e.path.startsWith("/console") || e.path === "/console"),
      make: (e) => {
        const limit = ["/payments/{id}/proofs", "/pay/{token}/proof"].includes(e.path)
          ? PROOF_BODY_LIMIT
          : MAX_BODY_BYTES;
        const frame = JSON.stringify({ message: "" });
        return {
          contentType: "application/json",
          body: JSON.stringify({ message: "x".repeat(limit + 1 - frame.length) }),
        };
      },
      status: 413,
    },
    {
      name: "JSON whose bytes are not UTF-8",
      applies: (e) => takesJson(e),
      make: (e) => ({ contentType: "application/json", body: notUtf8(taken(e)) }),
      status: 400,
    },
  ];
}
