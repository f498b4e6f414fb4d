// Zod building blocks every input schema shares, so that each rule is written once.
import { z } from "@hono/zod-openapi";
import { parseApiDateTime } from "./time";

/** Trimmed, non-empty text. PostgreSQL text cannot hold NUL, so it is refused here as a 400, not a database error. */
export const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters");

/** An API datetime: ISO 8601; without an offset it is London wall time. Parsed to the instant it names. */
export const apiDateTime = z
  .string()
  .transform((text, ctx) => {
    const instant = parseApiDateTime(text);
    if (instant) return instant;
    ctx.addIssue({
      code: "custom",
      message: "must be an ISO 8601 date and time, e.g. 2026-07-01T10:00:00 (London time) or 2026-07-01T09:00:00Z",
    });
    return z.NEVER;
  })
  .openapi({
    type: "string",
    description: "ISO 8601 date and time. Without an offset it is London wall time.",
    example: "2026-07-01T10:00:00",
  });
