// What every console request passes: security headers, no state change from another origin, the session's token.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { sameSecret } from "../auth/same-secret";
import type { AppDeps } from "../http/context";
import type { ConsoleEnv } from "./app";
import { CSRF_FIELD } from "./csrf";
import { crossOriginRefusal } from "./origin";
import { forbiddenPage } from "./responses";

/** Nothing from another origin, no inline script or style: an injected tag can neither run nor phone home. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  c.res.headers.set("Content-Security-Policy", CONSOLE_CSP);
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  c.res.headers.set("Referrer-Policy", "same-origin");
  // Pages hold customers' details: not kept by the browser or anything in between (assets say otherwise).
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});

const changesState = (c: Context) => !["GET", "HEAD", "OPTIONS"].includes(c.req.method);

/** Before anything else (the sign-in form too): a state-changing request from another origin gets 403. */
export function sameOriginOnly(deps: AppDeps) {
  return createMiddleware(async (c, next) => {
    if (changesState(c)) {
      const refusal = crossOriginRefusal(c, deps.settings);
      if (refusal) return forbiddenPage(c, refusal);
    }
    await next();
  });
}

/** After the session: a state-changing request must carry the session's token (form field or header). */
export const csrfToken = createMiddleware<ConsoleEnv>(async (c, next) => {
  if (changesState(c)) {
    const header = c.req.header("X-CSRF-Token");
    const type = c.req.header("Content-Type") ?? "";
    const isForm = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    const field = header ?? (isForm ? (await c.req.parseBody())[CSRF_FIELD] : undefined);
    if (typeof field !== "string" || !sameSecret(field, c.get("csrf")))
      return forbiddenPage(c, "The form's security token does not match your session. Reload the page and try again.");
  }
  await next();
});
