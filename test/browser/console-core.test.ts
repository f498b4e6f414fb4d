// The console's core in Chromium: signing in and out, the live queue, an inquiry answered from its page.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { checkConsolePage, PHONE_VIEWPORT, serveConsole, signInWithBrowser } from "../support/console";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { newChatId, textUpdate } from "../channels/telegram/updates";
import { startHub, type TelegramTestHub } from "../support/hub";

describe("the console's core in Chromium", () => {
  let t: TelegramTestHub;
  let served: { origin: string; close: () => Promise<void> };
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startHub({ telegram: true });
    served = await serveConsole(t.hub);
    origin = served.origin;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.stop();
  });

  it("refuses a wrong key with the form again, then signs in and out", async () => {
    const context = await browser.newContext({ viewport: PHONE_VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${origin}/console`);
    await checkConsolePage(page, "sign-in");

    await page.getByLabel("API key").fill("hub_this-is-not-a-key");
    const refused = page.waitForResponse((r) => r.url() === `${origin}/console` && r.request().method() === "POST");
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await refused).status()).toBe(401);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("the key is not valid");
    expect(await page.getByLabel("API key").isVisible()).toBe(true);

    await page.getByLabel("API key").fill(t.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${origin}/console/queue`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Queue");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "hub_console")).toMatchObject({ httpOnly: true, sameSite: "Strict" });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${origin}/console`);
    await page.goto(`${origin}/console/queue`);
    expect(page.url()).toBe(`${origin}/console`);
    await context.close();
  });

  it("signs in with the helper and shows every page of the nav in the layout", async () => {
    const { context, page } = await signInWithBrowser(browser, origin, t.adminKey);
    for (const name of ["bookings", "payments", "reports", "health"]) {
      const response = await page.goto(`${origin}/console/${name}`);
      expect(response?.status()).toBe(200);
      expect(await page.locator('nav a[aria-current="page"]').getAttribute("href")).toBe(`/console/${name}`);
    }
    await context.close();
  });

  it("shows a new inquiry in the queue within 5 s, without a reload", async () => {
    const { context, page } = await signInWithBrowser(browser, origin, t.adminKey);
    const before = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { name: "Early Bird", email: "early@example.com" }, message: "First" },
    });
    await page.reload();
    await page.locator(`[data-reference="${before.body.reference}"]`).waitFor();
    // The page is not loaded again from here on: a marker set on this document would go with a reload.
    await page.evaluate('document.body.setAttribute("data-loaded-once", "yes")');

    const created = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { name: "Live Lead", email: "live@example.com" }, message: "Hello there" },
    });
    expect(created.status).toBe(201);
    const item = page.locator(`[data-reference="${created.body.reference}"]`);
    await expect.poll(() => item.count(), { timeout: 5_000, interval: 100 }).toBe(1);
    expect(await item.textContent()).toContain("Live Lead");
    expect(await page.locator("body").getAttribute("data-loaded-once")).toBe("yes");

    // The same order as GET /queue.
    const api = await t.request("GET", "/queue?limit=100");
    const shown = await page
      .locator("[data-reference]")
      .evaluateAll((items) => items.map((i) => i.getAttribute("data-reference")));
    expect(shown).toEqual(api.body.items.map((i: { reference: string }) => i.reference));
    await checkConsolePage(page, "queue");
    await context.close();
  });

  /** A Telegram customer's first message: the inquiry it opened. */
  const telegramLead = async (text: string) => {
    const chat = newChatId();
    await t.telegram.post(textUpdate({ chatId: chat, messageId: 1, firstName: "Ann", lastName: "Smith" }, text));
    const [row] = await t.hub.database.rows<{ id: string; reference: string }>(
      sql`select id::text, 'INQ-' || number as reference from inquiries where external_chat_id = ${String(chat)}`,
    );
    return { ...row!, chat };
  };

  it("sends a reply from the inquiry page into the customer's own Telegram chat", async () => {
    const lead = await telegramLead("Do you have a table for two on Friday?");
    const operator = await t.createUser("operator", "Olga Operator");
    const { context, page } = await signInWithBrowser(browser, origin, operator.key);
    await page.locator(`[data-reference="${lead.reference}"] a`).click();
    await page.waitForURL(`${origin}/console/inquiries/${lead.id}`);
    expect(await page.locator(".conversation li.in").first().textContent()).toContain("table for two on Friday");

    await page.getByRole("button", { name: "Take it" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("is yours");

    await page.getByLabel(/Message to the customer/).fill("Yes, Friday at 7 works. Shall I hold it?");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Reply queued");
    await expect
      .poll(() => t.telegram.textsIn(lead.chat), { timeout: 10_000, interval: 100 })
      .toContain("Yes, Friday at 7 works. Shall I hold it?");

    // Both directions on the page, the staff message with its author; the take and the reply on the timeline.
    await page.reload();
    const staff = page.locator(".conversation li.out", { hasText: "Friday at 7 works" });
    expect(await staff.textContent()).toContain("Olga Operator (staff)");
    expect(await page.locator('.timeline [data-action="inquiry.assigned"]').textContent()).toContain("Olga Operator");
    expect(await page.locator('.timeline [data-action="sla.first_response"]').count()).toBe(1);
    // An operator is shown no manager pages.
    expect(await page.locator('nav a[href="/console/health"]').count()).toBe(0);
    await checkConsolePage(page, "inquiry");
    await context.close();
  });

  it("refuses a form posted from another origin with 403, even carrying the session's token", async () => {
    const lead = await telegramLead("Anyone there?");
    const { context, page } = await signInWithBrowser(browser, origin, t.adminKey);
    await page.goto(`${origin}/console/inquiries/${lead.id}`);
    const token = await page.locator('form[action$="/reply"] input[name="_csrf"]').getAttribute("value");
    // Another origin on the same host (another port): the browser still sends the cookie, with its own Origin.
    const evil: Server = createServer((_req, res) => {
      res.setHeader("Content-Type", "text/html");
      res.end(`<!doctype html><html lang="en"><title>Win a prize</title><form method="post"
        action="${origin}/console/inquiries/${lead.id}/reply"><input type="hidden" name="_csrf" value="${token}">
        <input type="hidden" name="text" value="Click this link"><button>Claim</button></form></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    try {
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const answer = page.waitForResponse((r) => r.url().endsWith("/reply"));
      await page.getByRole("button", { name: "Claim" }).click();
      expect((await answer).status()).toBe(403);
      const [row] = await t.hub.database.rows<{ n: string }>(
        sql`select count(*)::text as n from messages where inquiry_id = ${lead.id} and direction = 'outbound' and author_id is not null`,
      );
      expect(row!.n).toBe("0");
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
    await context.close();
  });
});
