// The console's bookings and payments pages in Chromium: a day view in London time (the process runs in Tokyo), and a
// manual payment approved from its page with its proof shown, under the API's rules (no operator, and not the
// manager who sent the proof).
import { deflateSync, crc32 } from "node:zlib";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { checkConsolePage, serveConsole, signInByRequest, signInWithBrowser } from "../support/console";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

/** A real PNG (a filled rectangle) that a browser decodes, not just a signature. */
function pngImage(width = 160, height = 90): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x33)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

describe("the console's bookings and payments pages", () => {
  let t: PaymentTestHub;
  let served: { origin: string; close: () => Promise<void> };
  let origin: string;
  let browser: Browser;
  let operator: { id: string; key: string };
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };

  beforeAll(async () => {
    // No provider configured: a deposit starts as a manual payment (bank transfer), as in test/payments/manual.test.ts.
    t = await startHub({ telegram: true, payments: { stripe: false, secondary: null } });
    served = await serveConsole(t.hub);
    origin = served.origin;
    browser = await launchChromium();
    operator = await t.createUser("operator", "Olive Operator");
    managerA = await t.createUser("manager", "Ada Manager");
    managerB = await t.createUser("manager", "Ben Manager");
  });
  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await t?.stop();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { key: managerA.key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const uploadProof = async (paymentId: string, key: string, comment: string, file = pngImage()) => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(file)]), "transfer.png");
    form.set("comment", comment);
    const res = await t.hub.app.request(`/payments/${paymentId}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}` },
      body: form,
    });
    expect(res.status).toBe(201);
  };
  /** A manual attempt awaiting approval, its proof (a PNG) uploaded through the API by manager A. */
  const provedPayment = async (comment: string, file?: Buffer) => {
    const booking = await t.payments.acceptedBooking(3000);
    const [attempt] = await t.payments.attempts(booking.bookingId, 1);
    expect(attempt).toMatchObject({ provider: "manual", status: "open" });
    await uploadProof(attempt.id, managerA.key, comment, file);
    return { booking, attempt };
  };

  it("shows a day per resource in London time: a hold, a confirmed booking, a block and its mismatch", async () => {
    const room = await api("POST", "/resources", { name: "Garden Room", capacity: 6 });
    const lead = async (name: string) =>
      api("POST", "/inquiries", {
        source: "web_form",
        client: { name, email: `${name.replace(" ", ".")}@example.com` },
      });
    // 1 July 2027 is summer: 19:00 in London is 18:00 UTC (and 03:00 the next day in Tokyo, where this test runs).
    const held = await api("POST", "/bookings", {
      inquiry_id: (await lead("Holly Hold")).id,
      resource_id: room.id,
      start_at: "2027-07-01T19:00",
      duration_minutes: 120,
      party_size: 4,
      deposit_amount: 2000,
    });
    const confirmed = await api("POST", "/bookings", {
      inquiry_id: (await lead("Connor Confirmed")).id,
      resource_id: room.id,
      start_at: "2027-07-01T12:30",
      duration_minutes: 60,
      deposit_amount: 0,
    });
    expect((await api("POST", `/bookings/${confirmed.id}/accept`)).status).toBe("confirmed");
    await api("POST", `/resources/${room.id}/blocks`, {
      starts_at: "2027-07-01T20:00",
      ends_at: "2027-07-01T22:00",
      reason: "Private event",
    });

    const { context, page } = await signInWithBrowser(browser, origin, operator.key);
    await page.goto(`${origin}/console/bookings`);
    // The default is today in London, with its date in the chooser.
    const today = await page.getByLabel("Day (London)").inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel("Day (London)").fill("2027-07-01");
    await page.getByRole("button", { name: "Show day" }).click();
    await page.waitForURL(`${origin}/console/bookings?date=2027-07-01`);
    expect(await page.getByRole("heading", { level: 2 }).first().textContent()).toBe("Thursday 1 July 2027");

    const section = page.getByRole("region", { name: /Garden Room/ });
    const items = (await section.getByRole("listitem").allInnerTexts()).map((s) => s.replace(/\s+/g, " ").trim());
    expect(items).toEqual([
      expect.stringMatching(new RegExp(`^Confirmed 12:30–13:30 ${confirmed.reference} · Connor Confirmed`)),
      expect.stringMatching(
        new RegExp(
          `^Hold 19:00–21:00 ${held.reference} · Holly Hold · party of 4 · deposit £20\\.00.*Mismatch Garden Room is blocked: Private event`,
        ),
      ),
      "Block 20:00–22:00 Private event",
    ]);
    expect(await page.getByText(/1 booking here can no longer be taken/).isVisible()).toBe(true);
    await checkConsolePage(page, "bookings");

    await page.getByRole("link", { name: "Next day →" }).click();
    await page.waitForURL(`${origin}/console/bookings?date=2027-07-02`);
    expect(await page.getByRole("region", { name: /Garden Room/ }).textContent()).toContain(
      "Nothing booked or blocked",
    );
    await page.getByRole("link", { name: "Today" }).click();
    await page.waitForURL(`${origin}/console/bookings`);
    expect(await page.getByLabel("Day (London)").inputValue()).toBe(today);

    const noSuchDay = await page.goto(`${origin}/console/bookings?date=2027-02-29`);
    expect(noSuchDay?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("date: must be a real date");
    await context.close();
  });

  it("shows the proof to a second manager, who approves it: the booking is confirmed", async () => {
    const { booking, attempt } = await provedPayment("Screenshot of the customer's bank transfer");

    // The manager who sent the proof is told why they cannot approve it, and is offered no approve button.
    const own = await signInWithBrowser(browser, origin, managerA.key);
    await own.page.goto(`${origin}/console/payments`);
    const ownCard = own.page.getByRole("article", { name: new RegExp(booking.reference) });
    expect(await ownCard.textContent()).toContain(
      "You cannot approve this payment: You sent a proof of this payment: another manager must approve it.",
    );
    expect(await ownCard.getByRole("button", { name: "Approve payment" }).count()).toBe(0);
    await own.context.close();

    const { context, page } = await signInWithBrowser(browser, origin, managerB.key);
    await page.goto(`${origin}/console/payments`);
    const card = page.getByRole("article", { name: new RegExp(booking.reference) });
    expect(await card.textContent()).toContain("Awaiting approval");
    const image = card.getByRole("img", { name: `Proof of payment for ${booking.reference}: transfer.png` });
    await expect.poll(() => image.evaluate((img: { naturalWidth: number }) => img.naturalWidth), POLL).toBe(160);
    expect(await card.textContent()).toContain("“Screenshot of the customer's bank transfer”: Ada Manager");
    await checkConsolePage(page, "payments");

    await card.getByLabel("Approval note (what you checked)").fill("Seen in the bank statement of 1 July");
    await card.getByRole("button", { name: "Approve payment" }).click();
    await page.waitForURL(`${origin}/console/payments`);
    expect(await page.getByRole("status").textContent()).toBe(
      `Payment for ${booking.reference} approved: the booking is confirmed.`,
    );
    expect(await page.getByRole("article", { name: new RegExp(booking.reference) }).count()).toBe(0);
    expect(await t.payments.booking(booking.bookingId)).toMatchObject({ status: "confirmed" });
    const detail = await t.request("GET", `/payments/${attempt.id}`);
    expect(detail.body).toMatchObject({
      status: "paid",
      approval: { approved_by: managerB.id, note: "Seen in the bank statement of 1 July" },
    });
    await context.close();
  });

  it("offers an operator no approval, and refuses an operator's approval posted anyway (403)", async () => {
    const { booking, attempt } = await provedPayment("The customer's bank confirmation", pngImage(30, 10));
    const { context, page } = await signInWithBrowser(browser, origin, operator.key);
    await page.goto(`${origin}/console/payments`);
    const card = page.getByRole("article", { name: new RegExp(booking.reference) });
    const proofPath = await card.getByRole("img").getAttribute("src");
    expect(proofPath).toMatch(new RegExp(`^/console/payments/${attempt.id}/proofs/[0-9a-f-]{36}$`));
    // The file is served to a session only: without the cookie, the way to sign in.
    const anonymous = await fetch(`${origin}${proofPath}`, { redirect: "manual" });
    expect([anonymous.status, anonymous.headers.get("location")]).toEqual([303, "/console"]);
    expect(await card.getByRole("button").count()).toBe(0);
    expect(await page.getByText("A manager approves or rejects manual payments").isVisible()).toBe(true);
    await context.close();

    // With the session's own CSRF token and no other origin: only the role can refuse it.
    const session = await signInByRequest(t.hub, operator.key);
    const refused = await session.request("POST", `/console/payments/${attempt.id}/approve`, {
      form: { _csrf: session.csrf, note: "Looks fine to me" },
    });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("This page needs the manager role or above.");
    expect((await t.request("GET", `/payments/${attempt.id}`)).body.status).toBe("awaiting_approval");
  });
});
