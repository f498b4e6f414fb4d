// /docs: the API reference, its assets served by the hub from the pinned swagger-ui-dist, nothing from elsewhere.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_DOCS_ASSETS } from "../../../hub/http/api-docs";
import { startHub, type TestHub } from "../../support/hub";

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve("swagger-ui-dist/package.json"));
const pinned = (require("../../../package.json") as { dependencies: Record<string, string> }).dependencies[
  "swagger-ui-dist"
];

describe("GET /docs", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub();
  });
  afterAll(() => t.stop());

  it("is a page whose every script, stylesheet and image is on the hub, under a CSP that allows no other origin", async () => {
    const res = await t.hub.app.request("/docs");
    expect(res.status).toBe(200);
    const page = await res.text();
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    for (const directive of csp.split(";").map((d) => d.trim())) {
      const [, ...sources] = directive.split(/\s+/);
      for (const source of sources) expect(["'self'", "'none'", "data:"], directive).toContain(source);
    }
    const urls = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url === "/openapi.json" || url.startsWith(`${API_DOCS_ASSETS}/`), url).toBe(true);
    expect(page).not.toMatch(/<script>[^<]/);
  });

  it("serves the assets of the pinned swagger-ui-dist, byte for byte, cacheable for good", async () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(API_DOCS_ASSETS).toBe(`/docs/assets/${pinned}`);
    for (const [name, type] of [
      ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
      ["swagger-ui.css", "text/css; charset=utf-8"],
      ["favicon-32x32.png", "image/png"],
    ] as const) {
      const res = await t.hub.app.request(`${API_DOCS_ASSETS}/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toContain("immutable");
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(join(dist, name)))).toBe(true);
    }
    const start = await (await t.hub.app.request(`${API_DOCS_ASSETS}/start.js`)).text();
    expect(start).toContain('url: "/openapi.json"');
    expect(start).toContain("validatorUrl: null");
  });

  it("answers 404 for any other file, including the package's other files", async () => {
    for (const name of ["index.html", "package.json", "..%2Fpackage.json", "swagger-ui-bundle.js.map"]) {
      expect((await t.hub.app.request(`${API_DOCS_ASSETS}/${name}`)).status, name).toBe(404);
    }
  });
});
