// Meta signs each webhook delivery: X-Hub-Signature-256 = "sha256=" + HMAC-SHA256(raw body, app secret), in hex.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signatureOf(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody, "utf8").digest("hex")}`;
}

export function isSignedByMeta(rawBody: string, header: string | undefined, appSecret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signatureOf(rawBody, appSecret));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Constant-time equality for the verify token of Meta's subscription handshake. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
