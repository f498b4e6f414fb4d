// The customer's booking link /b/{token}: 256 random bits, kept only as a SHA-256 hash.
import { createHash, randomBytes } from "node:crypto";

export const newLinkToken = () => randomBytes(32).toString("base64url");
export const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** What a token looks like: anything else is refused before the database is asked. */
export const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;
