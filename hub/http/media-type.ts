// A route whose body is not JSON answers a wrong Content-Type itself, naming the type it takes.
import type { MiddlewareHandler } from "hono";
import { problem } from "./problem";

/**
 * Runs before the route's validators: their media-type gate throws a bare 415, which the app can only explain as
 * "send JSON" (what every other route takes).
 */
export const requireMediaType =
  (mediaType: string, detail: string): MiddlewareHandler =>
  async (c, next) => {
    const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
    if (type !== mediaType) return problem(c, 415, detail);
    await next();
  };
