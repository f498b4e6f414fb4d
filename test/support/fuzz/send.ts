// Sends a generated request to the hub through app.request(), signed as its sender signs when it asks to be, and
// says what was sent in a line a person can replay.
import { Webhook } from "standardwebhooks";
import { signatureOf } from "../../../channels/whatsapp/cloud/signature";
import { APP_SECRET } from "../../channels/whatsapp/cloud-fixtures";
import { WEBHOOK_SECRET } from "../setup/telegram";
import { encodeLoosely } from "./nasty";
import type { FuzzInput, Signer } from "./requests";
import { PNG, type FuzzWorld } from "./world";

/** Sends one generated request to the hub, signing it when asked. */
export async function send(
  world: FuzzWorld,
  method: string,
  input: FuzzInput,
): Promise<{ status: number; body: string; contentType: string | null }> {
  const headers: Record<string, string> = { ...input.headers };
  const key = {
    admin: world.keys.admin,
    operator: world.keys.operator,
    manager: world.keys.manager,
    none: undefined,
    garbage: "hub_not-a-real-key",
  }[input.auth];
  if (key) headers.Authorization = `Bearer ${key}`;
  if (input.contentType) headers["Content-Type"] = input.contentType;
  let body: RequestInit["body"];
  let raw = "";
  // fetch allows no body on a GET or HEAD.
  const b = method === "GET" || method === "HEAD" ? undefined : input.body;
  if (b?.kind === "json") body = raw = JSON.stringify(b.value) ?? "";
  else if (b?.kind === "text") body = raw = b.text;
  else if (b?.kind === "bytes") body = new Uint8Array(b.bytes);
  else if (b?.kind === "form")
    body = raw = b.fields.map(([k, v]) => `${encodeLoosely(k)}=${encodeLoosely(v)}`).join("&");
  else if (b?.kind === "multipart") {
    const form = new FormData();
    const bytes = {
      png: PNG,
      pdf: Buffer.from("%PDF-1.7\n%%EOF\n"),
      text: Buffer.from("just text"),
      empty: Buffer.alloc(0),
      none: undefined,
    }[b.file];
    if (bytes) form.set("file", new Blob([new Uint8Array(bytes)]), b.fileName);
    for (const [k, v] of b.fields) form.append(k, v);
    body = form;
    delete headers["Content-Type"]; // FormData sets its own boundary
  }
  if (input.sign) Object.assign(headers, signed(world, input.sign, raw, headers));
  const response = await world.p.hub.app.request(input.url, { method, headers, body });
  return { status: response.status, body: await response.text(), contentType: response.headers.get("content-type") };
}

function signed(
  world: FuzzWorld,
  signer: Signer,
  raw: string,
  headers: Record<string, string>,
): Record<string, string> {
  if (signer === "telegram") return { "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET };
  if (signer === "whatsapp") return { "X-Hub-Signature-256": signatureOf(raw, APP_SECRET) };
  if (signer === "stripe" || signer === "revolut")
    return world.p.payments.sign(signer, raw).headers as Record<string, string>;
  // The generated webhook-timestamp is seconds from now; one that is no such number is sent as it is.
  const offset = Number(headers["webhook-timestamp"] ?? "0");
  const shifted = Number.isFinite(offset) && Math.abs(offset) < 1e6;
  const at = new Date(Date.now() + (shifted ? offset * 1000 : 0));
  const id = headers["webhook-id"] ?? "msg_fuzz";
  return {
    "webhook-id": id,
    "webhook-timestamp": shifted ? String(Math.floor(at.getTime() / 1000)) : headers["webhook-timestamp"]!,
    "webhook-signature": new Webhook(world.signer.secret).sign(id, at, raw),
  };
}

/** Fields a report shows of an input: enough to replay it by hand, cut to a readable length. */
export function describeInput(method: string, input: FuzzInput): string {
  const body = input.body === undefined ? "" : ` body=${JSON.stringify(input.body).slice(0, 1200)}`;
  return `${method} ${input.url.slice(0, 300)} auth=${input.auth}${input.contentType ? ` type=${input.contentType}` : ""}${input.sign ? ` signed=${input.sign}` : ""}${Object.keys(input.headers).length ? ` headers=${JSON.stringify(input.headers).slice(0, 200)}` : ""}${body}`;
}
