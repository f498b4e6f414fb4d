// /docs in a real browser: Swagger UI renders every operation with only the hub's own files, under its CSP.
import type { AddressInfo } from "node:net";
import type { ServerType } from "@hono/node-server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHub } from "../../hub/http/serve";
import { launchChromium } from "../support/browser";
import { startHub, type TestHub } from "../support/hub";

describe("the API reference in Chromium", () => {
  let t: TestHub;
  let server: ServerType;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startHub();
    server = serveHub(t.hub.app.fetch, { port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server.close(resolve));
    await t.stop();
  });

  it("renders every operation with no request to another origin and no CSP violation", async () => {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const complaints: string[] = [];
    // Anything not on the hub is refused and noted, as it would fail with no network.
    await page.route("**/*", (route) => {
      if (route.request().url().startsWith(`${origin}/`)) return route.continue();
      elsewhere.push(route.request().url());
      return route.abort();
    });
    page.on("console", (message) => {
      if (message.type() === "error" || /Content Security Policy/i.test(message.text()))
        complaints.push(message.text());
    });
    page.on("pageerror", (error) => complaints.push(String(error)));

    await page.goto(`${origin}/docs`);
    const document = (await (await fetch(`${origin}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
    await page.waitForSelector(".opblock", { timeout: 15_000 });
    expect(await page.locator(".opblock").count()).toBe(operations);
    expect(await page.locator("button.authorize").count()).toBe(1);

    expect(elsewhere).toEqual([]);
    expect(complaints.filter((c) => !c.includes("favicon"))).toEqual([]);
    await page.close();
  });
});
