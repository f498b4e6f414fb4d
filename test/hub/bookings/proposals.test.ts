// From inquiry to awaiting_deposit: matched, held, proposed, and accepted by the customer in their own chat or on the
// booking page; only the booking's own customer can answer, and a double tap counts once.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callbackUpdate, newChatId, textUpdate } from "../../channels/telegram/updates";
import { post as postWhatsApp, waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import { incoming } from "../../support/fakes/whatsapp-web-client";
import { FakePartnerReceiver } from "../../support/fakes/partner-receiver";
import { startHub, type TestHub } from "../../support/hub";

const POLL = { timeout: 15_000, interval: 50 };
/** Friday evenings (GMT), one per test, so that no test's booking takes another's time. */
const FRIDAYS = {
  telegram: "2027-02-12",
  decline: "2027-02-19",
  whatsapp: "2027-02-05",
  page: "2027-01-08",
  partner: "2027-01-15",
  refused: "2027-01-22",
  web: "2027-01-29",
};

async function dinnerRoom(t: TestHub, name = "Garden Room") {
  const res = await t.request("POST", "/resources", {
    body: { name, capacity: 6, tags: ["dinner"], opening_hours: [{ day: "fri", opens: "17:00", closes: "23:30" }] },
  });
  return res.body as { id: string; name: string };
}

/** Matches an inquiry, takes the best match, holds it and proposes it: what the operator does. */
async function matchHoldPropose(t: TestHub, inquiryId: string, day: string, depositAmount = 2500) {
  const matches = await t.request("GET", `/inquiries/${inquiryId}/matches?at=${day}T19:00&duration_minutes=120`);
  expect(matches.status).toBe(200);
  const best = matches.body.items[0];
  expect(best.start_at).toBe(`${day}T19:00:00.000+00:00`);
  const held = await t.request("POST", "/bookings", {
    body: {
      inquiry_id: inquiryId,
      resource_id: best.resource_id,
      start_at: best.start_at,
      end_at: best.end_at,
      deposit_amount: depositAmount,
    },
  });
  expect(held.status).toBe(201);
  const proposed = await t.request("POST", `/bookings/${held.body.id}/propose`);
  expect(proposed.status).toBe(200);
  return proposed.body as {
    booking: { id: string; reference: string; status: string };
    via: string;
    message_id: string | null;
    booking_url: string | null;
  };
}

const bookingStatus = async (t: TestHub, id: string) => (await t.request("GET", `/bookings/${id}`)).body.status;

describe("proposals in Telegram, WhatsApp Cloud and on the booking page", () => {
  let h: TestHub<{ telegram: true; whatsapp: "cloud"; partner: true }>;

  beforeAll(async () => {
    h = await startHub({ telegram: true, whatsapp: "cloud", partner: true });
    await dinnerRoom(h);
  });
  afterAll(async () => {
    await h.stop();
  });

  const telegramLead = async () => {
    const chat = newChatId();
    await h.telegram.post(textUpdate({ chatId: chat, messageId: 1 }, "A table for four on the 18th please"));
    const [row] = await h.hub.database.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    await h.hub.database.rows(sql`update inquiries set party_size = 4, service = 'dinner' where id = ${row!.id}`);
    return { id: row!.id, chat };
  };
  const proposalIn = async (chat: number) => {
    const find = () => h.telegram.sent.find((m) => m.chat_id === String(chat) && m.text.startsWith("We can offer you"));
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    return find()!;
  };

  it("takes a Telegram lead to awaiting_deposit: the customer taps Accept under the offer in their chat", async () => {
    const lead = await telegramLead();
    const proposal = await matchHoldPropose(h, lead.id, FRIDAYS.telegram);
    expect(proposal).toMatchObject({ via: "telegram", booking_url: null, booking: { status: "held" } });

    const offer = await proposalIn(lead.chat);
    expect(offer.text).toBe(
      `We can offer you Garden Room on Fri 12 Feb 2027, 19:00 GMT, 2 h (London time) for 4 people. A deposit of £25.00 secures it.\n` +
        `Your booking reference is ${proposal.booking.reference}. The offer is held for you until ${offer.text.match(/until (.*)\.$/)![1]}.`,
    );
    expect(offer.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "Accept", callback_data: `booking:accept:${proposal.booking.id}` },
          { text: "Decline", callback_data: `booking:decline:${proposal.booking.id}` },
        ],
      ],
    });

    const tap = callbackUpdate({
      chatId: lead.chat,
      messageId: offer.message_id,
      data: `booking:accept:${proposal.booking.id}`,
    });
    expect((await h.telegram.post(tap)).status).toBe(200);
    expect(h.telegram.callbackAnswers.at(-1)).toMatchObject({
      text: `${proposal.booking.reference} accepted. Thank you!`,
    });
    expect(h.telegram.edits.at(-1)).toMatchObject({
      chat_id: String(lead.chat),
      message_id: offer.message_id,
      reply_markup: { inline_keyboard: [] },
    });
    expect(await bookingStatus(h, proposal.booking.id)).toBe("awaiting_deposit");
    await expect
      .poll(() => h.telegram.textsIn(lead.chat).join("\n"), POLL)
      .toContain(`Thank you, ${proposal.booking.reference} is accepted`);

    // A double tap (another update, the same button) counts once.
    await h.telegram.post(
      callbackUpdate({ chatId: lead.chat, messageId: offer.message_id, data: `booking:accept:${proposal.booking.id}` }),
    );
    expect(h.telegram.callbackAnswers.at(-1)?.text).toBe(
      `${proposal.booking.reference}: your answer was recorded already.`,
    );
    const audits = await h.hub.database.rows<{ n: string }>(
      sql`select count(*)::text as n from audit_log where entity_id = ${proposal.booking.id} and action = 'booking.awaiting_deposit'`,
    );
    expect(audits[0]!.n).toBe("1");
  });

  it("lets only the booking's own customer answer; Decline cancels and frees the slot", async () => {
    const lead = await telegramLead();
    const proposal = await matchHoldPropose(h, lead.id, FRIDAYS.decline);
    const offer = await proposalIn(lead.chat);
    // Somebody else taps the button (the offer was forwarded to them).
    await h.telegram.post(
      callbackUpdate({
        chatId: newChatId(),
        messageId: offer.message_id,
        data: `booking:accept:${proposal.booking.id}`,
      }),
    );
    expect(h.telegram.callbackAnswers.at(-1)?.text).toBe("This offer is not for you.");
    expect(await bookingStatus(h, proposal.booking.id)).toBe("held");

    await h.telegram.post(
      callbackUpdate({
        chatId: lead.chat,
        messageId: offer.message_id,
        data: `booking:decline:${proposal.booking.id}`,
      }),
    );
    expect(h.telegram.callbackAnswers.at(-1)?.text).toBe(`${proposal.booking.reference} declined.`);
    expect((await h.request("GET", `/bookings/${proposal.booking.id}`)).body).toMatchObject({
      status: "cancelled",
      cancel_reason: "declined by the customer",
    });
    await h.telegram.post(
      callbackUpdate({ chatId: lead.chat, messageId: offer.message_id, data: `booking:accept:${proposal.booking.id}` }),
    );
    expect(h.telegram.callbackAnswers.at(-1)?.text).toMatch(/is cancelled; it can no longer be accepted/);
  });

  it("offers WhatsApp Cloud customers reply buttons, and a tap accepts", async () => {
    const waId = waIdOf(`proposal-${Date.now()}`);
    await postWhatsApp(
      h,
      webhook([{ id: `wamid.prop${Date.now()}`, from: waId, text: "Dinner for four on the 18th?" }]),
    );
    const [row] = await h.hub.database.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${waId}`,
    );
    await h.hub.database.rows(sql`update inquiries set party_size = 4 where id = ${row!.id}`);
    const proposal = await matchHoldPropose(h, row!.id, FRIDAYS.whatsapp);
    expect(proposal.via).toBe("whatsapp");
    const find = () => h.whatsapp.sent.find((m) => m.to === waId && m.type === "interactive");
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    expect(find()!.interactive).toMatchObject({
      type: "button",
      body: { text: expect.stringMatching(/^We can offer you Garden Room on Fri 5 Feb 2027, 19:00 GMT/) },
      action: {
        buttons: [
          { type: "reply", reply: { id: `booking:accept:${proposal.booking.id}`, title: "Accept" } },
          { type: "reply", reply: { id: `booking:decline:${proposal.booking.id}`, title: "Decline" } },
        ],
      },
    });
    const tap = webhook([
      {
        id: `wamid.tap${Date.now()}`,
        from: waId,
        type: "interactive",
        extra: {
          interactive: {
            type: "button_reply",
            button_reply: { id: `booking:accept:${proposal.booking.id}`, title: "Accept" },
          },
        },
      },
    ]);
    expect((await postWhatsApp(h, tap)).status).toBe(200);
    expect(await bookingStatus(h, proposal.booking.id)).toBe("awaiting_deposit");
    const conversation = (await h.request("GET", `/inquiries/${row!.id}/messages`)).body.items.map(
      (m: { body: string }) => m.body,
    );
    expect(conversation).toContain("[Accept]");
  });

  it("gives a web-form lead a booking link: the page shows the offer in London time, and its form accepts", async () => {
    const lead = (
      await h.request("POST", "/inquiries", {
        body: { source: "web_form", client: { email: "page@example.com" }, party_size: 2, service: "dinner" },
      })
    ).body;
    const proposal = await matchHoldPropose(h, lead.id, FRIDAYS.page, 0);
    expect(proposal.via).toBe("link");
    // No PUBLIC_URL: the address the hub listens on, HOST and PORT (127.0.0.1:3000 by default).
    expect(proposal.booking_url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/b\/[A-Za-z0-9_-]{43}$/);
    const path = new URL(proposal.booking_url!).pathname;

    const page = await h.hub.app.request(path);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'/,
    );
    expect(page.headers.get("set-cookie")).toBeNull();
    const html = await page.text();
    expect(html).toContain(`Your booking ${proposal.booking.reference}`);
    expect(html).toContain("Fri 8 Jan 2027, 19:00 GMT, 2 h (London time)");
    expect(html).toContain("No deposit is needed.");
    expect(html).toMatch(/<button class="accept" type="submit" name="action" value="accept">Accept<\/button>/);
    expect(html).not.toContain("<script");

    const accepted = await h.hub.app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "action=accept",
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe(path);
    expect(await bookingStatus(h, proposal.booking.id)).toBe("confirmed"); // no deposit: accepted is confirmed
    expect((await h.request("GET", `/inquiries/${lead.id}`)).body.status).toBe("booked");
    expect(await (await h.hub.app.request(path)).text()).toContain("This booking is confirmed.");
    const again = await h.hub.app.request(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "action=decline",
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("it can no longer be declined");

    expect((await h.hub.app.request(`/b/${"x".repeat(43)}`)).status).toBe(404);
    expect((await h.hub.app.request("/b/short")).status).toBe(404);
  });

  it("tells a partner of its lead's proposal and confirmation, signed", async () => {
    const partner = await h.createPartner();
    await h.request("PATCH", `/partners/${partner.code}`, { body: { webhook_url: h.partner.url } });
    const lead = (
      await h.request("POST", "/inquiries", {
        body: { source: "partner", partner_code: partner.code, client: { email: "agency@example.com" }, party_size: 3 },
      })
    ).body;
    const proposal = await matchHoldPropose(h, lead.id, FRIDAYS.partner, 0);
    expect((await h.request("POST", `/bookings/${proposal.booking.id}/accept`)).body.status).toBe("confirmed");
    await expect
      // Events run concurrently, so the two may arrive in either order; each carries its own timestamp.
      .poll(
        () =>
          h.partner.received
            .map((r) => JSON.parse(r.body).type)
            .filter((type: string) => type.startsWith("booking."))
            .sort(),
        POLL,
      )
      .toEqual(["booking.confirmed", "booking.proposed"]);
    const confirmed = FakePartnerReceiver.verify(
      String(partner.signing_secret),
      h.partner.received.find((r) => JSON.parse(r.body).type === "booking.confirmed")!,
    );
    expect(confirmed.data).toMatchObject({
      reference: lead.reference,
      status: "confirmed",
      booking: { reference: proposal.booking.reference, start_at: "2027-01-15T19:00:00.000+00:00" },
    });
  });

  it("refuses to propose a booking that is not held, and lists the routes in the OpenAPI document", async () => {
    const lead = await telegramLead();
    const proposal = await matchHoldPropose(h, lead.id, FRIDAYS.refused, 0);
    await h.request("POST", `/bookings/${proposal.booking.id}/accept`);
    const refused = await h.request("POST", `/bookings/${proposal.booking.id}/propose`);
    expect(refused.status).toBe(409);
    const doc = (await h.request("GET", "/openapi.json", { key: null })).body;
    for (const path of [
      "/resources",
      "/resources/{id}",
      "/resources/{id}/blocks",
      "/resources/{id}/blocks/{block_id}",
      "/resources/{id}/availability",
      "/bookings",
      "/bookings/{id}",
      "/bookings/{id}/cancel",
      "/bookings/{id}/propose",
      "/bookings/{id}/accept",
      "/inquiries/{id}/matches",
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});

describe("a proposal on whatsapp-web.js", () => {
  let t: TestHub<{ whatsapp: "web" }>;
  beforeAll(async () => {
    t = await startHub({ whatsapp: "web" });
    await dinnerRoom(t);
  });
  afterAll(() => t.stop());

  it("asks the customer to reply YES or NO, and YES accepts", async () => {
    const from = "447700900555@c.us";
    t.whatsapp.emit("message", incoming(from, { body: "Table for 2 on the 18th" }));
    await expect
      .poll(
        async () => (await t.hub.database.rows(sql`select 1 from inquiries where external_chat_id = ${from}`)).length,
        POLL,
      )
      .toBe(1);
    const [row] = await t.hub.database.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${from}`,
    );
    const proposal = await matchHoldPropose(t, row!.id, FRIDAYS.web);
    const offer = () => t.whatsapp.sent.find((m) => m.chatId === from && m.text.startsWith("We can offer you"));
    await expect.poll(() => offer() !== undefined, POLL).toBe(true);
    expect(offer()!.text).toMatch(/\n\nReply YES to accept\. Reply NO to decline\.$/);
    t.whatsapp.emit("message", incoming(from, { body: "Yes!" }));
    await expect.poll(() => bookingStatus(t, proposal.booking.id), POLL).toBe("awaiting_deposit");
  });
});
