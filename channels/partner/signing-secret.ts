// A partner's Standard Webhooks secret: `whsec_` + base64 of 32 random bytes, the format the standardwebhooks library
// reads.
import { randomBytes } from "node:crypto";

/** 32 bytes: the HMAC-SHA256 key is as long as its output, the most the spec's 24–64 byte range needs. */
const SECRET_BYTES = 32;

export function newSigningSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}
