// The web console in tests: a hub served on loopback, signing in (by request or in Chromium), and the checks every
// console page passes (axe-core, 390 px without sideways scroll, a screenshot under test-results/).
import { mkdir, readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ServerType } from "@hono/node-server";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import type { Hub } from "../../hub/composition";
import { serveHub } from "../../hub/http/serve";

export const PHONE_VIEWPORT = { width: 390, height: 844 };
const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let axeSource: string | undefined;
const RESULTS = join(import.meta.dirname, "..", "..", "test-results");

/** The hub's app on a real port (the browser needs one); `close` stops listening. */
export async function serveConsole(hub: Hub): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: ServerType = serveHub(hub.app.fetch, { port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        // An open event stream would keep close() waiting for ever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A browser context signed in with `key` through the sign-in form; its page is on /console/queue. */
export async function signInWithBrowser(
  browser: Browser,
  origin: string,
  key: string,
  viewport = PHONE_VIEWPORT,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${origin}/console`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${origin}/console/queue`);
  return { context, page };
}

/**
 * axe-core from node_modules, run in the page: no serious or critical violation. Evaluated through the DevTools
 * protocol, not added as a script tag: the console's CSP refuses inline scripts, as it should.
 */
export async function expectAccessible(page: Page): Promise<void> {
  axeSource ??= await readFile(AXE_PATH, "utf8");
  await page.evaluate(axeSource);
  // A string, run in the page: the tests' TypeScript has no DOM types.
  const violations = (await page.evaluate(`axe.run(document).then((result) => result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + " (" + v.impact + "): " + v.help + " — " + v.nodes.map((n) => n.target.join(" ")).join(", ")))`)) as string[];
  expect(violations).toEqual([]);
}

/** At 390 px wide the page itself does not scroll sideways (a wide table scrolls inside its own box). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await page.setViewportSize(PHONE_VIEWPORT);
  const widths = (await page.evaluate(
    "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
  )) as { scroll: number; client: number };
  expect(widths.scroll, "the page is wider than the screen").toBeLessThanOrEqual(widths.client);
}

/** Saves test-results/console-<name>.png (kept as a CI artefact; docs/console.md names them). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, `console-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Every check a console page passes, then its screenshot. */
export async function checkConsolePage(page: Page, name: string): Promise<void> {
  await expectNoSidewaysScroll(page);
  await expectAccessible(page);
  await saveScreenshot(page, name);
}

/** Signing in without a browser, for integration tests: the session cookie and the CSRF token of its pages. */
export interface ConsoleSession {
  cookie: string;
  csrf: string;
  /** A request with the session's cookie (and, for a POST with a form, nothing else: add `_csrf` yourself). */
  request(
    method: string,
    path: string,
    init?: { form?: Record<string, string>; headers?: Record<string, string> },
  ): Promise<Response>;
}

export async function signInByRequest(hub: Hub, key: string): Promise<ConsoleSession> {
  const response = await hub.app.request("/console", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ key }).toString(),
  });
  expect(response.status).toBe(303);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("hub_console="));
  if (!cookie) throw new Error("signing in set no session cookie");
  const request: ConsoleSession["request"] = async (method, path, init = {}) =>
    hub.app.request(path, {
      method,
      headers: {
        Cookie: cookie,
        ...(init.form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
        ...init.headers,
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
  const page = await (await request("GET", "/console/queue")).text();
  const csrf = page.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error("the queue page carries no CSRF token");
  return { cookie, csrf, request };
}
