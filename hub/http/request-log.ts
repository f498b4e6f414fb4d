// One line per request, and an id that ties it to every other line logged while the request was served.
import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import { servingRequest } from "../core/logger";

/** An id a proxy or a client sent is kept when it is plainly an id: anything else could forge or flood a log line. */
const GIVEN_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Paths whose last part is a customer's link token: whoever holds it can open the page. */
const TOKEN_PATH = /^\/(pay|b)\/[^/]+/;

export function requestLog(logger: Logger): MiddlewareHandler {
  return (c, next) => {
    const given = c.req.header("X-Request-Id");
    const id = given && GIVEN_ID.test(given) ? given : randomUUID();
    return servingRequest(id, async () => {
      const started = performance.now();
      await next();
      c.header("X-Request-Id", id);
      logger.info(
        {
          method: c.req.method,
          path: c.req.path.replace(TOKEN_PATH, "/$1/…"),
          status: c.res.status,
          ms: Math.round(performance.now() - started),
        },
        "request",
      );
    });
  };
}
