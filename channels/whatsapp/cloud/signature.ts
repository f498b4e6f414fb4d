// Meta signs each webhook delivery: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(raw body, app secret), in hex.
import { createHmac } from "node:crypto";
import { sameSecret } from "../../../hub/auth/same-secret";

export function signatureOf(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody, "utf8").digest("hex")}`;
}

export function isSignedByMeta(rawBody: string, header: string | undefined, appSecret: string): boolean {
  return sameSecret(header?.trim(), signatureOf(rawBody, appSecret));
}
