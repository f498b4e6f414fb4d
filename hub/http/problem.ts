// RFC 9457 problem details: the one shape every error response takes.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { FieldError, HubErrorKind } from "../core/errors";

const TITLES: Record<number, string> = {
  400: "Invalid request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not found",
  409: "Conflict",
  410: "Gone",
  413: "Request body too large",
  415: "Unsupported media type",
  422: "Unprocessable content",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export const STATUS_OF: Record<HubErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  unavailable: 503,
};

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "about:blank" }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export function problem(c: Context, status: ContentfulStatusCode, detail: string, errors?: FieldError[]) {
  const body = {
    type: "about:blank",
    title: TITLES[status] ?? "Error",
    status,
    detail,
    instance: c.req.path,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
  return c.body(JSON.stringify(body), status, { "Content-Type": "application/problem+json" });
}

/** Zod issues as field errors, each naming its field by its dotted path in the request. */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: "is not a known field" }));
    }
    return [{ field: path || "(body)", message: issue.message }];
  });
}

/** Problem responses for the OpenAPI document. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: TITLES[status] ?? "Error", content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );

/** How long a client is asked to wait while the database is away: long enough for a restart or a failover. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
