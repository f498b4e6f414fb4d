// The console's inquiry page without a browser: what it shows, and its actions calling the API's domain functions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ConsoleSession, signInByRequest } from "../../support/console";
import { startHub, type TestHub } from "../../support/hub";

const DAY_MS = 24 * 60 * 60_000;
/** Noon UTC a month ahead: inside the resource's (default, always open) hours and in the future. */
const inAMonth = new Date(Math.ceil((Date.now() + 30 * DAY_MS) / DAY_MS) * DAY_MS + 12 * 60 * 60_000).toISOString();

describe("the console's inquiry page", () => {
  let t: TestHub;
  let s: ConsoleSession;
  let lead: { id: string; reference: string };

  beforeAll(async () => {
    t = await startHub();
    await t.request("POST", "/resources", { body: { name: "Alcove", capacity: 4 } });
    lead = (
      await t.request("POST", "/inquiries", {
        body: {
          source: "web_form",
          client: { name: "Bea Form", email: "bea@example.com" },
          requested_start_at: inAMonth,
          party_size: 2,
          message: "Lunch please",
        },
      })
    ).body;
    const operator = await t.createUser("operator", "Olga");
    s = await signInByRequest(t.hub, operator.key);
  });
  afterAll(() => t?.stop());

  const page = async (path = `/console/inquiries/${lead.id}`) => {
    const response = await s.request("GET", path);
    return { status: response.status, html: await response.text() };
  };
  const post = (action: string, form: Record<string, string>) =>
    s.request("POST", `/console/inquiries/${lead.id}/${action}`, { form: { _csrf: s.csrf, ...form } });

  it("shows the client, the message, the timeline and the matches for the time asked for", async () => {
    const { status, html } = await page(`/console/inquiries/${lead.reference}`);
    expect(status).toBe(200);
    expect(html).toContain("Bea Form");
    expect(html).toContain("Lunch please");
    expect(html).toContain('data-action="inquiry.received"');
    expect(html).toContain("<strong>Alcove</strong>");
    // No chat to answer in: the page says so instead of offering a reply box.
    expect(html).not.toContain('name="text"');
  });

  it("logs a call and shows it on the timeline after the redirect", async () => {
    const response = await post("contacts", { kind: "call", note: "Left a voicemail" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/console/inquiries/${lead.id}`);
    const { html } = await page();
    expect(html).toContain("Call logged: Left a voicemail");
  });

  it("shows a domain refusal on the page with its status: a reply to a lead without a chat is 409", async () => {
    const response = await post("reply", { text: "Hello" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("there is no chat to answer in");
  });

  it("answers a bad status with 400 naming it, and an unknown inquiry with a 404 page", async () => {
    const bad = await post("status", { status: "sleeping" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("status: must be one of");
    expect((await page("/console/inquiries/INQ-999999")).status).toBe(404);
  });

  it("holds and proposes a match with a deposit in pounds, giving the booking link once", async () => {
    const { html } = await page();
    const resourceId = html.match(/name="resource_id" value="([^"]+)"/)![1]!;
    const startAt = html.match(/name="start_at" value="([^"]+)"/)![1]!;
    const response = await post("propose", {
      resource_id: resourceId,
      start_at: startAt,
      duration_minutes: "120",
      deposit: "25.50",
    });
    expect(response.status).toBe(303);
    // The confirmation travels to the next page in a one-time cookie.
    const flash = response.headers
      .getSetCookie()
      .find((c) => c.startsWith("hub_console_flash="))!
      .split(";")[0]!
      .slice("hub_console_flash=".length);
    expect(decodeURIComponent(flash)).toMatch(
      /^Held and proposed \(£25\.50 deposit\)\. Send the client this booking link, shown only now: http:\/\/\S+\/b\/\S+$/,
    );
    const after = await page();
    const bookings = (await t.request("GET", "/bookings")).body.items as {
      deposit_amount: number;
      inquiry_id: string;
    }[];
    expect(bookings).toEqual([expect.objectContaining({ deposit_amount: 2550, inquiry_id: lead.id })]);
    expect(after.html).toContain('data-action="booking.proposed"');
  });
});
