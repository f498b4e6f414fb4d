// The one way the hub compares a secret someone sent with the one it holds (webhook secrets, verify tokens,
// signatures).
import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Constant time whatever the lengths: both sides are hashed to 32 bytes first, so neither the content nor the
 * length of the secret shows in how long a wrong guess takes. Missing is never a match.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}
