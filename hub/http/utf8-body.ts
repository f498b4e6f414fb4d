// A JSON body must be UTF-8 (RFC 8259 §8.1): one that is not is refused here, before anything reads it.
import type { MiddlewareHandler } from "hono";
import { problem } from "./problem";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Body readers decode bytes that are not UTF-8 as U+FFFD without a word, so "caf\xC3(" would be stored as "caf�(":
 * a changed text nobody sent. Refusing it says what is wrong. The bytes read here are cached by the request, so
 * routes that check a signature over the raw body still read them as sent.
 */
export const utf8Body: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
  if (!c.req.raw.body || !JSON_TYPE.test(type)) return next();
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(await c.req.arrayBuffer());
  } catch {
    return problem(c, 400, "The request body is not UTF-8: send JSON as UTF-8 text. Nothing was stored.", [
      { field: "(body)", message: "is not UTF-8" },
    ]);
  }
  await next();
};
