// The console's System Health page in Chromium: the six widgets with their status in words, figures and thresholds;
// a dead letter retried from it; accessible and phone-wide.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { checkConsolePage, serveConsole, signInByRequest, signInWithBrowser } from "../support/console";
import { startHub, type TestHub } from "../support/hub";

describe("the console's Health page", () => {
  let t: TestHub;
  let served: Awaited<ReturnType<typeof serveConsole>>;
  let browser: Browser;
  beforeAll(async () => {
    t = await startHub();
    served = await serveConsole(t.hub);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.stop();
  });

  it("is for managers and above: an operator gets 403", async () => {
    const operator = await t.createUser("operator");
    const session = await signInByRequest(t.hub, operator.key);
    expect((await session.request("GET", "/console/health")).status).toBe(403);
  });

  it("shows each widget, and retries a dead letter", async () => {
    // A dead letter (an event its subscriber cannot take, one attempt) and an SLA breach to show.
    const jobId = randomUUID();
    const bad = {
      id: jobId,
      type: "inquiry.created",
      payload: { source: "telegram", received_at: "no" },
      created_at: "",
    };
    await t.hub.jobs.enqueue("events", "inquiry.created", bad, { jobId, attempts: 1 });
    await expect.poll(() => t.hub.jobs.stats("events").then((s) => s.failed), { timeout: 10_000 }).toBe(1);
    const received_at = new Date(Date.now() - 2 * 3600_000).toISOString();
    await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: "x@example.com" }, received_at },
    });

    const firstFailure = (await t.hub.jobs.listFailed("events", 10)).find((j) => j.id === jobId)!.failedAt!;

    const { context, page } = await signInWithBrowser(browser, served.origin, t.adminKey);
    await page.goto(`${served.origin}/console/health`);
    const expected = {
      stripe: ["Stripe", "Warning"],
      secondary: ["Secondary provider", "Warning"],
      webhooks: ["Webhooks", "Warning"],
      queues: ["Queues", "Warning"],
      availability: ["Availability", "OK"],
      sla: ["SLA", "Critical"],
    };
    for (const [name, [title, label]] of Object.entries(expected)) {
      const card = page.locator(`[data-widget="${name}"]`);
      expect(await card.locator("h2").textContent()).toBe(`${title} ${label}`);
      expect(await card.locator("h3").allTextContents()).toEqual(["Figures", "Thresholds"]);
    }
    expect(await page.locator('[data-widget="stripe"] p').first().textContent()).toBe(
      "Stripe is not configured, so deposits skip it.",
    );
    // The thresholds, as people read them: the last list of each card.
    const thresholds = async (widget: string) => {
      const list = page.locator(`[data-widget="${widget}"] dl.facts`).last();
      const [names, values] = [
        await list.locator("> dt").allTextContents(),
        await list.locator("> dd").allTextContents(),
      ];
      return Object.fromEntries(names.map((name, i) => [name, values[i]]));
    };
    expect(await thresholds("queues")).toEqual({ "lag warn": "1 min", "lag critical": "10 min" });
    expect(await thresholds("stripe")).toMatchObject({ "success rate warn": "90%", "latency p95 warn": "3 s" });
    expect(await page.locator('[data-widget="sla"] dl.facts').first().textContent()).toContain("open breaches1");
    // The queues' figures: a table, one row per queue.
    expect(await page.locator('[data-widget="queues"] table tbody th').allTextContents()).toEqual([
      "events",
      "sla",
      "bookings",
      "payments",
      "privacy",
    ]);
    await checkConsolePage(page, "health");

    const row = page.locator(`[data-job="${jobId}"]`);
    expect(await row.textContent()).toContain("inquiry.created");
    await row.getByRole("button", { name: `Retry inquiry.created ${jobId}` }).click();
    await page.waitForURL(`${served.origin}/console/health`);
    expect(await page.locator(".flash").textContent()).toContain(
      `inquiry.created (${jobId}) is back in the events queue.`,
    );
    // It ran again (and, its data being as bad as before, failed again later than the first time).
    await expect
      .poll(
        async () => {
          const again = (await t.hub.jobs.listFailed("events", 10)).find((j) => j.id === jobId);
          return again?.failedAt && again.failedAt > firstFailure;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const audit = await t.rows<{ action: string }>(
      sql`select action from audit_log where entity_id = ${`events/${jobId}`}`,
    );
    expect(audit.map((a) => a.action)).toEqual(["job.retried"]);
    await context.close();
  });
});
