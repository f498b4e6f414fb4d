// The console's own files (style sheet, scripts), served from hub/console/assets/ by name; nothing else is.
import { readFile } from "node:fs/promises";
import type { Env, Hono } from "hono";

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

const folder = new URL("./assets/", import.meta.url);
const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** A file name of letters, digits and dashes with a known extension: no path can be built from it. */
const NAME = /^[a-z0-9-]+\.([a-z]+)$/;

export function consoleAssets<E extends Env>(app: Hono<E>): void {
  app.get("/assets/:name", async (c) => {
    const name = c.req.param("name");
    const type = TYPES[name.match(NAME)?.[1] ?? ""];
    if (!type) return c.notFound();
    let body = cache.get(name);
    if (!body) {
      body = readFile(new URL(name, folder)).then((b) => new Uint8Array(b));
      cache.set(name, body);
    }
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = await body;
    } catch {
      cache.delete(name);
      return c.notFound();
    }
    c.header("Content-Type", type);
    // Short: the names carry no version, and a new hub should not wait a day for its style sheet.
    c.header("Cache-Control", "public, max-age=300");
    return c.body(bytes);
  });
}
