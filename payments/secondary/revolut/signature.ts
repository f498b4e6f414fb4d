// Revolut's webhook signature (Merchant API "Webhook signature verification"): the header Revolut-Signature holds one
// or more comma-separated `v1=<hex>` values (several while a signing secret rotates), each an HMAC-SHA256, keyed by
// a signing secret (`wsk_…`), over `v1.{Revolut-Request-Timestamp}.{raw body}`. The timestamp is milliseconds since
// the epoch and must lie within 5 minutes of now, either way, so a captured delivery cannot be replayed later.
import { createHmac, timingSafeEqual } from "node:crypto";
import { WebhookSignatureError } from "../../provider";

export const REVOLUT_SIGNATURE_TOLERANCE_MS = 5 * 60_000;

/** The `v1=<hex>` value Revolut puts in Revolut-Signature for this secret, timestamp (as sent) and raw body. */
export function revolutSignature(secret: string, timestamp: string | number, rawBody: string): string {
  return `v1=${createHmac("sha256", secret).update(`v1.${timestamp}.${rawBody}`, "utf8").digest("hex")}`;
}

export interface RevolutSignatureCheck {
  rawBody: string;
  /** The Revolut-Request-Timestamp header, verbatim: it is part of what was signed. */
  timestamp: string | undefined;
  /** The Revolut-Signature header, verbatim. */
  signatureHeader: string | undefined;
  /** Every secret currently accepted: the new one and, while it rotates, the old one. */
  secrets: readonly string[];
  /** Milliseconds since the epoch. */
  now: number;
  toleranceMs?: number;
}

/**
 * Throws WebhookSignatureError unless the delivery is fresh and one of its v1 signatures matches one of the secrets.
 */
export function verifyRevolutSignature(check: RevolutSignatureCheck): void {
  const { rawBody, timestamp, signatureHeader, secrets, now } = check;
  const tolerance = check.toleranceMs ?? REVOLUT_SIGNATURE_TOLERANCE_MS;
  if (!timestamp) throw new WebhookSignatureError("Revolut webhook has no Revolut-Request-Timestamp header");
  if (!/^\d{1,16}$/.test(timestamp))
    throw new WebhookSignatureError("Revolut-Request-Timestamp is not milliseconds since the epoch");
  const skew = now - Number(timestamp);
  if (Math.abs(skew) > tolerance) {
    throw new WebhookSignatureError(
      `Revolut webhook timestamp is ${Math.round(skew / 1000)} s from now, outside the ${tolerance / 1000} s tolerance`,
    );
  }
  if (!signatureHeader) throw new WebhookSignatureError("Revolut webhook has no Revolut-Signature header");
  // Only v1 is defined; anything else (a future scheme, junk) is skipped rather than compared.
  const offered = signatureHeader
    .split(",")
    .map((part) => part.trim())
    .filter((part) => /^v1=[0-9a-f]{64}$/i.test(part))
    .map((part) => Buffer.from(part.slice(3), "hex"));
  if (offered.length === 0) throw new WebhookSignatureError("Revolut-Signature carries no v1 signature");
  if (secrets.length === 0) throw new WebhookSignatureError("no Revolut webhook signing secret is configured");
  const expected = secrets.map((secret) => Buffer.from(revolutSignature(secret, timestamp, rawBody).slice(3), "hex"));
  // Equal lengths are guaranteed (32 bytes each), so timingSafeEqual never throws here.
  const matches = expected.some((mine) => offered.some((theirs) => timingSafeEqual(mine, theirs)));
  if (!matches)
    throw new WebhookSignatureError(
      "Revolut-Signature matches none of the configured signing secrets (forged, tampered or signed with another secret)",
    );
}
