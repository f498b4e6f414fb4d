// API keys: 256 bits of randomness shown once, stored only as a SHA-256 hash.
import { createHash, randomBytes } from "node:crypto";

const PREFIX = "hub_";

export function generateApiKey(): string {
  return PREFIX + randomBytes(32).toString("base64url");
}

/**
 * A fast hash is right for keys this random (nothing to brute-force), and lookup by hash is an index probe, so no
 * secret is ever compared byte by byte in application code.
 */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
