// Zod building blocks every input schema shares, so that each rule is written once.
import { z } from "@hono/zod-openapi";
import { API_YEARS, parseApiDate, parseApiDateTime } from "./time";

/** Trimmed, non-empty text. NUL has become U+FFFD already, at the HTTP edge (http/storable-input.ts). */
export const plainText = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

const YEARS = `${API_YEARS.first} to ${API_YEARS.last}`;

/** An API datetime: ISO 8601; without an offset it is London wall time. Parsed to the instant it names. */
export const apiDateTime = z
  .string()
  .transform((text, ctx) => {
    const instant = parseApiDateTime(text);
    if (instant) return instant;
    ctx.addIssue({
      code: "custom",
      message: `must be a real ISO 8601 date and time in the years ${YEARS}, e.g. 2026-07-01T10:00:00 (London time) or 2026-07-01T09:00:00Z`,
    });
    return z.NEVER;
  })
  .openapi({
    type: "string",
    description: `ISO 8601 date and time, years ${YEARS}. Without an offset it is London wall time.`,
    example: "2026-07-01T10:00:00",
  });

/** An API calendar date, `YYYY-MM-DD` (a London day): a day that exists, in the years the API takes. */
export const apiDate = z
  .string()
  .transform((text, ctx) => {
    const date = parseApiDate(text);
    if (date) return date;
    ctx.addIssue({
      code: "custom",
      message: `must be a real London date YYYY-MM-DD in the years ${YEARS}, e.g. 2026-07-01`,
    });
    return z.NEVER;
  })
  .openapi({
    type: "string",
    format: "date",
    description: `A London calendar date YYYY-MM-DD, years ${YEARS}.`,
    example: "2026-07-01",
  });
