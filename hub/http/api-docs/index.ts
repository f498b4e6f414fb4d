// The interactive API reference at /docs: Swagger UI from the pinned swagger-ui-dist package, served by the hub itself.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Env, Hono } from "hono";
import { html } from "hono/html";

const distFolder = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const { version } = createRequire(import.meta.url)("swagger-ui-dist/package.json") as { version: string };

/** The version in the path lets browsers keep the files for good: a new package version is a new URL. */
export const API_DOCS_ASSETS = `/docs/assets/${version}`;

const ASSETS: Record<string, { file?: string; type: string }> = {
  "swagger-ui.css": { file: "swagger-ui.css", type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { file: "swagger-ui-bundle.js", type: "text/javascript; charset=utf-8" },
  "favicon-32x32.png": { file: "favicon-32x32.png", type: "image/png" },
  // Our own start-up script: the page allows no inline script.
  "start.js": { type: "text/javascript; charset=utf-8" },
};

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io for a badge.
const START_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: true,
  persistAuthorization: false,
});
`;

/**
 * Staff open this page holding an admin key: nothing on it may come from another origin, so a compromised CDN or a
 * script injected into the document cannot read the key. Swagger UI sets styles from script, which `style-src 'self'`
 * allows (it covers style elements and attributes in markup, not CSSOM changes).
 */
export const API_DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const cache = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const load = (name: string, file?: string) => {
  let body = cache.get(name);
  if (!body) {
    body = file
      ? readFile(join(distFolder, file)).then((b) => new Uint8Array(b))
      : Promise.resolve(new TextEncoder().encode(START_SCRIPT));
    cache.set(name, body);
  }
  return body;
};

export function apiDocsRoutes<E extends Env>(app: Hono<E>, title: string): void {
  app.get("/docs", (c) => {
    c.header("Content-Security-Policy", API_DOCS_CSP);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(html`<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" type="image/png" href="${API_DOCS_ASSETS}/favicon-32x32.png" />
    <link rel="stylesheet" href="${API_DOCS_ASSETS}/swagger-ui.css" />
  </head>
  <body>
    <noscript>This page needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <div id="swagger-ui"></div>
    <script src="${API_DOCS_ASSETS}/swagger-ui-bundle.js"></script>
    <script src="${API_DOCS_ASSETS}/start.js"></script>
  </body>
</html>`);
  });

  app.get(`${API_DOCS_ASSETS}/:name`, async (c) => {
    const asset = ASSETS[c.req.param("name")];
    if (!asset) return c.notFound();
    c.header("Content-Type", asset.type);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Cache-Control", "public, max-age=31536000, immutable");
    return c.body(await load(c.req.param("name"), asset.file));
  });
}
