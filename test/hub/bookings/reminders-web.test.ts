// Reminders on whatsapp-web.js, which has no buttons: a typed YES answers an open proposal first and, with none, the
// chat's latest reminder; CANCEL asks once more, a question a day old asks again, and CANCEL again cancels.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { incoming } from "../../support/fakes/whatsapp-web-client";
import { startHub, type TestHub } from "../../support/hub";

const POLL = { timeout: 20_000, interval: 50 };
const HOUR = 3_600_000;

let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe("reminders on whatsapp-web.js", () => {
  let t: TestHub<{ whatsapp: "web" }>;
  let rooms = 0;
  let numbers = 0;

  beforeAll(async () => {
    t = await startHub({
      whatsapp: "web",
      overrides: { now: clock },
      env: { BOOKING_REMINDER_HOURS: "30", BOOKING_HOLD_MINUTES: "6000", TIMER_SWEEP_SECONDS: "0.5" },
    });
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const say = (from: string, body: string) => t.whatsapp.emit("message", incoming(from, { body }));
  const lead = async () => {
    const from = `4477009006${String(++numbers).padStart(2, "0")}@c.us`;
    say(from, "A table for two please");
    const find = () => t.rows<{ id: string }>(sql`select id::text from inquiries where external_chat_id = ${from}`);
    await expect.poll(async () => (await find()).length, POLL).toBe(1);
    return { id: (await find())[0]!.id, from };
  };
  const held = async (inquiryId: string, startIn: number) => {
    const room = await api("POST", "/resources", { name: `Quay Room ${++rooms}`, capacity: 4 });
    const start = new Date(clock().getTime() + startIn);
    return api("POST", "/bookings", {
      inquiry_id: inquiryId,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + HOUR).toISOString(),
      party_size: 2,
      deposit_amount: 0,
    }) as Promise<{ id: string; reference: string }>;
  };
  const confirmed = async (inquiryId: string, startIn: number) => {
    const booking = await held(inquiryId, startIn);
    expect((await api("POST", `/bookings/${booking.id}/accept`)).status).toBe("confirmed");
    return booking;
  };
  const row = async (id: string) =>
    (
      await t.rows<{ status: string; reconfirmed_at: string | null; cancel_asked_at: string | null }>(
        sql`select status::text, reconfirmed_at::text, cancel_asked_at::text from bookings where id = ${id}`,
      )
    )[0]!;
  const textsTo = (from: string, start: string) =>
    t.whatsapp.sent.filter((m) => m.chatId === from && m.text.startsWith(start)).map((m) => m.text);

  it("answers an open proposal with YES first, and the latest reminder with YES when none is open", async () => {
    const customer = await lead();
    const reminded = await confirmed(customer.id, 30 * HOUR + 2000);
    await expect.poll(() => textsTo(customer.from, "A reminder").length, POLL).toBe(1);
    expect(textsTo(customer.from, "A reminder")[0]).toMatch(
      new RegExp(
        `^A reminder of your booking ${reminded.reference}: Quay Room \\d+ on .+ \\(London time\\) for 2 people\\.\\n\\n` +
          "Will you be coming\\?\\n\\nReply YES if you are coming\\. Reply CANCEL to cancel\\.$",
      ),
    );

    // Another booking offered in the same chat: YES is the offer's answer while it is open.
    const offered = await held(customer.id, 40 * HOUR);
    await api("POST", `/bookings/${offered.id}/propose`);
    await expect.poll(() => textsTo(customer.from, "We can offer you").length, POLL).toBe(1);
    say(customer.from, "Yes!");
    await expect.poll(async () => (await row(offered.id)).status, POLL).toBe("confirmed");
    expect((await row(reminded.id)).reconfirmed_at).toBeNull();

    // No offer open now: YES answers the reminder.
    say(customer.from, "yes.");
    await expect.poll(async () => (await row(reminded.id)).reconfirmed_at, POLL).not.toBeNull();
    await expect
      .poll(() => textsTo(customer.from, "Thank you for letting us know"), POLL)
      .toEqual([expect.stringContaining(reminded.reference)]);
    // Said again, it counts once.
    say(customer.from, "YES");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(textsTo(customer.from, "Thank you for letting us know")).toHaveLength(1);
  });

  it("asks once more on CANCEL, asks again when the question is a day old, and cancels on CANCEL again", async () => {
    const customer = await lead();
    const booking = await confirmed(customer.id, 30 * HOUR + 2000);
    await expect.poll(() => textsTo(customer.from, "A reminder").length, POLL).toBe(1);

    say(customer.from, "CANCEL");
    await expect.poll(() => textsTo(customer.from, "Do you want to cancel").length, POLL).toBe(1);
    expect(textsTo(customer.from, "Do you want to cancel")[0]).toMatch(
      new RegExp(
        `^Do you want to cancel ${booking.reference}: Quay Room \\d+ on .+ \\(London time\\)\\? There is no deposit to refund\\.\\n\\n` +
          "Reply CANCEL again to cancel\\. Reply YES to keep it\\.$",
      ),
    );
    expect((await row(booking.id)).cancel_asked_at).not.toBeNull();

    // A day later one bare CANCEL does not cancel: the question has lapsed, and is asked again.
    ahead += 24 * HOUR + 60_000;
    say(customer.from, "cancel");
    await expect.poll(() => textsTo(customer.from, "Do you want to cancel").length, POLL).toBe(2);
    expect((await row(booking.id)).status).toBe("confirmed");

    say(customer.from, "Cancel.");
    await expect.poll(async () => (await row(booking.id)).status, POLL).toBe("cancelled");
    await expect.poll(() => textsTo(customer.from, `${booking.reference} is cancelled`).length, POLL).toBe(1);
    // With no reminder left to answer, CANCEL is an ordinary message again.
    say(customer.from, "CANCEL");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(textsTo(customer.from, "Do you want to cancel")).toHaveLength(2);
    expect(textsTo(customer.from, `${booking.reference} is cancelled`)).toHaveLength(1);
  });
});
