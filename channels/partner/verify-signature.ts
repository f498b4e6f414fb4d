// Standard Webhooks verification of a partner's request: HMAC over the raw body, timestamp within 5 minutes.
import { randomBytes } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { HubError } from "../../hub/core/errors";

const BAD_SIGNATURE =
  "The webhook-signature does not match: sign `<webhook-id>.<webhook-timestamp>.<raw body>` with HMAC-SHA256 and the " +
  "partner's whsec_ secret, and send it as `v1,<base64>` (Standard Webhooks).";

// The library's reasons, in words a partner's developer can act on. Every other failure reads as a bad signature.
const REASONS: Record<string, string> = {
  "Missing required headers":
    "Sign the request per Standard Webhooks: send the webhook-id, webhook-timestamp and webhook-signature headers.",
  "Invalid Signature Headers": "webhook-timestamp must be the Unix time in seconds.",
  "Message timestamp too old":
    "webhook-timestamp is more than 5 minutes old: sign each request when you send it, and keep your clock in sync.",
  "Message timestamp too new":
    "webhook-timestamp is more than 5 minutes ahead of the hub's clock: keep your clock in sync.",
};

/**
 * Checked when the partner code is unknown, so that an unknown code costs the same work and gets the same answer
 * as a wrong signature: the endpoint does not tell who is a partner.
 */
const DECOY_SECRET = `whsec_${randomBytes(32).toString("base64")}`;

/**
 * Throws HubError `unauthorized` unless `rawBody` carries a valid signature by `secret` (the library compares in
 * constant time and allows 5 minutes either way of this process's clock). Returns the webhook-id.
 */
export function verifySignature(
  secret: string | null | undefined,
  rawBody: string,
  header: (name: string) => string | undefined,
): string {
  const headers = {
    "webhook-id": header("webhook-id") ?? "",
    "webhook-timestamp": header("webhook-timestamp") ?? "",
    "webhook-signature": header("webhook-signature") ?? "",
  };
  try {
    new Webhook(secret ?? DECOY_SECRET).verify(rawBody, headers, { jsonParse: false });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    throw new HubError("unauthorized", REASONS[error.message] ?? BAD_SIGNATURE);
  }
  if (!secret) throw new HubError("unauthorized", BAD_SIGNATURE);
  return headers["webhook-id"];
}
