// The Reports page in a real browser: a range chosen with the form, four SVG charts with a line per source and a
// point per day, the figures table, the CSV download, axe-core, 390 px with no sideways scroll, and a screenshot.
import { readFile } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INQUIRY_SOURCES } from "../../db/schema";
import { launchChromium } from "../support/browser";
import { checkConsolePage, serveConsole, signInByRequest, signInWithBrowser } from "../support/console";
import { startHub, type TestHub } from "../support/hub";

describe("console: reports", () => {
  let t: TestHub;
  let served: Awaited<ReturnType<typeof serveConsole>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await startHub();
    // 23:30 UTC on 1 July is 00:30 BST on the 2nd; two more on the 3rd, one of them from a partner.
    let n = 0;
    for (const [source, at] of [
      ["web_form", "2026-07-01T23:30:00Z"],
      ["web_form", "2026-07-03T09:00:00Z"],
      ["partner", "2026-07-03T10:00:00Z"],
    ] as const) {
      const partner = source === "partner" ? { partner_code: (await t.createPartner()).code } : {};
      const res = await t.request("POST", "/inquiries", {
        body: { source, client: { email: `lead${++n}@example.com` }, received_at: at, ...partner },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    served = await serveConsole(t.hub);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.stop();
  });

  it("draws a line per source with a point per day, lists the figures, and downloads the CSV", async () => {
    // The counts are kept by the events' subscribers, a moment after each intake.
    await expect
      .poll(
        async () => (await t.request("GET", "/reports/daily?from=2026-07-01&to=2026-07-07")).body.totals.total_count,
        {
          timeout: 10_000,
        },
      )
      .toBe(3);
    const { context, page } = await signInWithBrowser(browser, served.origin, t.adminKey);
    await page.goto(`${served.origin}/console/reports`);
    await page.getByLabel("From (London date)").fill("2026-07-01");
    await page.getByLabel("To, included").fill("2026-07-07");
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/from=2026-07-01&to=2026-07-07/);

    for (const chart of ["inquiries", "conversions", "revenue", "no-shows"]) {
      const svg = page.locator(`svg[data-chart="${chart}"]`);
      expect(await svg.getAttribute("role")).toBe("img");
      expect(await svg.locator("title").count()).toBe(1);
      expect(await svg.locator("desc").count()).toBe(1);
      expect(await svg.locator("g[data-series]").count()).toBe(INQUIRY_SOURCES.length);
      expect(await svg.locator("g[data-series] circle").count()).toBe(INQUIRY_SOURCES.length * 7);
    }
    // The points carry the figures: 00:30 BST on 2 July is 2 July's.
    const point = (source: string, day: string) =>
      page
        .locator(`svg[data-chart="inquiries"] g[data-series="${source}"] circle[data-day="${day}"]`)
        .getAttribute("data-value");
    expect(await point("web_form", "2026-07-01")).toBe("0");
    expect(await point("web_form", "2026-07-02")).toBe("1");
    expect(await point("partner", "2026-07-03")).toBe("1");
    expect(await page.locator(".legend li").count()).toBe(INQUIRY_SOURCES.length);
    expect(await page.locator("table tbody tr").count()).toBe(7 * INQUIRY_SOURCES.length);
    await expect.poll(() => page.locator("dl.facts dd").first().textContent()).toBe("3");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("daily-report-2026-07-01-to-2026-07-07.csv");
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("date_london,source,total_count,converted_count,conversion_rate,revenue_gbp,no_show_count");
    expect(lines).toHaveLength(1 + 7 * INQUIRY_SOURCES.length);
    expect(lines).toContain("2026-07-02,web_form,1,0,0,0.00,0");

    await checkConsolePage(page, "reports");
    await context.close();
  });

  it("narrows to one source, and says what is wrong with a range it cannot show", async () => {
    const { context, page } = await signInWithBrowser(browser, served.origin, t.adminKey);
    await page.goto(`${served.origin}/console/reports?from=2026-07-01&to=2026-07-03&source=partner`);
    expect(await page.locator('svg[data-chart="revenue"] g[data-series]').count()).toBe(1);
    expect(await page.locator('svg[data-chart="revenue"] circle').count()).toBe(3);
    await page.goto(`${served.origin}/console/reports?from=2026-07-03&to=2026-07-01`);
    expect(await page.getByRole("alert").textContent()).toContain("from: 2026-07-03 is after to");
    await context.close();
  });

  it("is for managers and above", async () => {
    const operator = await t.createUser("operator");
    const session = await signInByRequest(t.hub, operator.key);
    expect((await session.request("GET", "/console/reports")).status).toBe(403);
    expect((await session.request("GET", "/console/reports.csv")).status).toBe(403);
  });
});
