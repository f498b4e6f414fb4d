// Reminders in the customer's own chat, on whichever job driver the run uses, with BOOKING_REMINDER_HOURS=48,2: a
// Telegram reminder answered "I'm coming"; "Cancel", asked once more, then "Yes, cancel" (staff told); WhatsApp
// Cloud's reply buttons; a web-form lead's timeline saying no reminder could be sent; both reminders of a booking two
// days ahead, each once however often its timer fires; none after the start, none armed past its time, none left
// armed once the booking ends. (WhatsApp Web's typed YES and CANCEL: reminders-web.test.ts.)
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reminderKey, reminderTimer } from "../../../hub/bookings/reminder-timer";
import { BOOKINGS_QUEUE } from "../../../hub/core/jobs/queues";
import { callbackUpdate, newChatId, textUpdate } from "../../channels/telegram/updates";
import { post as postWhatsApp, waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import { startHub, type TestHub } from "../../support/hub";

const POLL = { timeout: 20_000, interval: 50 };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// The hub's clock is the real one until a test moves it on: a reminder's time, or a booking's start, then passes
// without waiting for it.
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe("reminders in Telegram and WhatsApp Cloud", () => {
  let t: TestHub<{ telegram: true; whatsapp: "cloud" }>;
  const staffChat = newChatId();
  let rooms = 0;

  beforeAll(async () => {
    t = await startHub({
      telegram: true,
      whatsapp: "cloud",
      overrides: { now: clock },
      env: {
        BOOKING_REMINDER_HOURS: "48,2",
        BOOKING_HOLD_MINUTES: "6000",
        TIMER_SWEEP_SECONDS: "0.5",
        BUSINESS_ADDRESS: "1 Riverside Walk, London SE1 9PX",
      },
    });
    // An operator linked to the bot, with new-inquiry notices on (the default): they hear of a cancellation too.
    const operator = await t.createUser("operator");
    const code = await t.request("POST", `/operators/${operator.id}/telegram-link`, { key: operator.key });
    await t.telegram.post(textUpdate({ chatId: staffChat, messageId: 1 }, `/link ${code.body.code}`));
    expect(t.telegram.textsIn(staffChat).join("\n")).toMatch(/^Linked/);
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const telegramLead = async () => {
    const chat = newChatId();
    await t.telegram.post(textUpdate({ chatId: chat, messageId: 1 }, "A table for four please"));
    const [row] = await t.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    return { id: row!.id, chat };
  };
  /** A booking of a room of its own, `lead` hours before its start plus a little, confirmed by staff (no deposit). */
  const confirmed = async (inquiryId: string, startIn: number) => {
    const room = await api("POST", "/resources", { name: `River Room ${++rooms}`, capacity: 6 });
    const start = new Date(clock().getTime() + startIn);
    const held = await api("POST", "/bookings", {
      inquiry_id: inquiryId,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + HOUR).toISOString(),
      party_size: 4,
      deposit_amount: 0,
    });
    const booking = await api("POST", `/bookings/${held.id}/accept`);
    expect(booking.status).toBe("confirmed");
    return { ...booking, room: room.name as string } as { id: string; reference: string; room: string };
  };
  const bookingRow = async (id: string) =>
    (
      await t.rows<{
        status: string;
        reconfirmed_at: Date | null;
        cancel_asked_at: Date | null;
        cancel_reason: string;
      }>(sql`select status::text, reconfirmed_at, cancel_asked_at, cancel_reason from bookings where id = ${id}`)
    )[0]!;
  const reminderRows = (id: string) =>
    t.rows<{ minutes_before: number; outcome: string }>(
      sql`select minutes_before, outcome from booking_reminders where booking_id = ${id} order by minutes_before desc`,
    );
  const reminderJob = (id: string, minutes: number) =>
    t.hub.jobs.state(BOOKINGS_QUEUE, reminderTimer.jobId(reminderKey(id, minutes)));
  const remindersIn = (chat: number) =>
    t.telegram.sent.filter((m) => m.chat_id === String(chat) && m.text.startsWith("A reminder"));
  const reminderIn = async (chat: number) => {
    await expect.poll(() => remindersIn(chat).length, POLL).toBe(1);
    return remindersIn(chat)[0]!;
  };
  const tap = async (chat: number, messageId: number, data: string, fromId?: number) => {
    expect((await t.telegram.post(callbackUpdate({ chatId: chat, messageId, data, fromId }))).status).toBe(200);
    return t.telegram.callbackAnswers.at(-1)?.text;
  };

  it('reminds a Telegram customer 2 h before, and their "I\'m coming" sets reconfirmed_at, once', async () => {
    const lead = await telegramLead();
    // Confirmed 2 h and 2 s before its start: the 48 h reminder's time has passed, so only the 2 h one is armed.
    const booking = await confirmed(lead.id, 2 * HOUR + 2000);
    expect(await reminderJob(booking.id, 2880)).toBeUndefined();

    const reminder = await reminderIn(lead.chat);
    expect(reminder.text).toMatch(
      new RegExp(
        `^A reminder of your booking ${booking.reference}: ${booking.room} on \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d (GMT|BST), 1 h \\(London time\\) for 4 people\\.\\n` +
          "Where: 1 Riverside Walk, London SE1 9PX\\n\\nWill you be coming\\?$",
      ),
    );
    expect(reminder.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "I'm coming", callback_data: `booking:coming:${booking.id}` },
          { text: "Cancel", callback_data: `booking:cancel:${booking.id}` },
        ],
      ],
    });
    expect(await reminderRows(booking.id)).toEqual([{ minutes_before: 120, outcome: "sent" }]);

    // Forwarded to somebody else, the button is theirs to tap but not to answer with.
    expect(await tap(lead.chat, reminder.message_id, `booking:coming:${booking.id}`, newChatId())).toBe(
      "This booking is not yours.",
    );
    expect((await bookingRow(booking.id)).reconfirmed_at).toBeNull();

    expect(await tap(lead.chat, reminder.message_id, `booking:coming:${booking.id}`)).toBe(
      `Thank you: ${booking.reference}, see you then!`,
    );
    const row = await bookingRow(booking.id);
    expect(row).toMatchObject({ status: "confirmed", cancel_asked_at: null });
    expect(row.reconfirmed_at).not.toBeNull();
    await expect
      .poll(() => t.telegram.textsIn(lead.chat).find((m) => m.startsWith("Thank you for letting us know")), POLL)
      .toMatch(
        new RegExp(
          `^Thank you for letting us know, ${booking.reference} is confirmed: ${booking.room} on .+ See you then!$`,
        ),
      );

    // A double tap counts once: the same time, one audit entry, one thanks.
    expect(await tap(lead.chat, reminder.message_id, `booking:coming:${booking.id}`)).toBe(
      `${booking.reference}: we have your answer already.`,
    );
    expect((await bookingRow(booking.id)).reconfirmed_at).toEqual(row.reconfirmed_at);
    const audits = await t.rows<{ action: string; actor_kind: string }>(
      sql`select action, actor_kind::text from audit_log where entity_id = ${booking.id} and action = 'booking.reconfirmed'`,
    );
    expect(audits).toEqual([{ action: "booking.reconfirmed", actor_kind: "customer" }]);
    expect(t.telegram.textsIn(lead.chat).filter((m) => m.startsWith("Thank you for letting us know"))).toHaveLength(1);

    const timeline = (await api("GET", `/inquiries/${lead.id}/timeline?kind=booking`)).items;
    expect(timeline.map((i: { summary: string }) => i.summary)).toEqual(
      expect.arrayContaining([
        `${booking.reference} reminder sent in the customer's chat, 2 h before the start`,
        `${booking.reference} reconfirmed: the customer answered the reminder: they are coming`,
      ]),
    );
  });

  it('asks once more on "Cancel", then "Yes, cancel" cancels: the customer is told, and so are staff', async () => {
    const lead = await telegramLead();
    const booking = await confirmed(lead.id, 2 * HOUR + 2000);
    const reminder = await reminderIn(lead.chat);

    expect(await tap(lead.chat, reminder.message_id, `booking:cancel:${booking.id}`)).toBe(
      "Please confirm in the message below.",
    );
    const question = () =>
      t.telegram.sent.find((m) => m.chat_id === String(lead.chat) && m.text.startsWith("Do you want to cancel"));
    await expect.poll(() => question() !== undefined, POLL).toBe(true);
    expect(question()!.text).toMatch(
      new RegExp(
        `^Do you want to cancel ${booking.reference}: ${booking.room} on .+ \\(London time\\)\\? There is no deposit to refund\\.$`,
      ),
    );
    expect(question()!.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: "Yes, cancel", callback_data: `booking:cancel_yes:${booking.id}` },
          { text: "Keep my booking", callback_data: `booking:keep:${booking.id}` },
        ],
      ],
    });
    expect((await bookingRow(booking.id)).cancel_asked_at).not.toBeNull();
    // A second tap on the reminder's Cancel asks nothing new.
    expect(await tap(lead.chat, reminder.message_id, `booking:cancel:${booking.id}`)).toBe(
      "Please confirm in the message below.",
    );
    expect((await bookingRow(booking.id)).status).toBe("confirmed");

    expect(await tap(lead.chat, question()!.message_id, `booking:cancel_yes:${booking.id}`)).toBe(
      `${booking.reference} is cancelled.`,
    );
    expect(await bookingRow(booking.id)).toMatchObject({
      status: "cancelled",
      cancel_reason: "cancelled by the customer",
      cancel_asked_at: null,
    });
    expect(t.telegram.edits.at(-1)).toMatchObject({
      chat_id: String(lead.chat),
      message_id: question()!.message_id,
      reply_markup: { inline_keyboard: [] },
    });
    await expect
      .poll(() => t.telegram.textsIn(lead.chat).find((m) => m.startsWith(`${booking.reference} is cancelled`)), POLL)
      .toMatch(new RegExp(`^${booking.reference} is cancelled: ${booking.room} on .+ \\(London time\\)\\.`));
    // Staff hear of it as they hear of a new inquiry.
    await expect
      .poll(() => t.telegram.textsIn(staffChat).find((m) => m.startsWith("Cancelled by the customer")), POLL)
      .toMatch(
        new RegExp(
          `^Cancelled by the customer: ${booking.reference} · INQ-\\d+ · Telegram\\n${booking.room}, .+ \\(London time\\): the time is free again\\.\\nNo deposit was paid\\.\\n`,
        ),
      );
    const [notice] = await t.rows<{ kind: string }>(
      sql`select kind::text from staff_notices where inquiry_id = ${lead.id} and kind = 'booking_cancelled'`,
    );
    expect(notice).toEqual({ kind: "booking_cancelled" });

    // A double tap counts once; the reminder's own buttons are dead now.
    expect(await tap(lead.chat, question()!.message_id, `booking:cancel_yes:${booking.id}`)).toBe(
      `${booking.reference} was cancelled already.`,
    );
    expect(await tap(lead.chat, reminder.message_id, `booking:coming:${booking.id}`)).toBe(
      `${booking.reference} is cancelled; it can no longer be changed here.`,
    );
    const cancelled = await t.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox_events where aggregate_id = ${booking.id} and type = 'booking.cancelled'`,
    );
    expect(cancelled[0]!.n).toBe(1);
  });

  it('keeps the booking on "Keep my booking", which reconfirms it', async () => {
    const lead = await telegramLead();
    const booking = await confirmed(lead.id, 2 * HOUR + 2000);
    const reminder = await reminderIn(lead.chat);
    await tap(lead.chat, reminder.message_id, `booking:cancel:${booking.id}`);
    const question = () =>
      t.telegram.sent.find((m) => m.chat_id === String(lead.chat) && m.text.startsWith("Do you want to cancel"));
    await expect.poll(() => question() !== undefined, POLL).toBe(true);
    expect(await tap(lead.chat, question()!.message_id, `booking:keep:${booking.id}`)).toBe(
      `${booking.reference} stays booked.`,
    );
    const row = await bookingRow(booking.id);
    expect(row).toMatchObject({ status: "confirmed", cancel_asked_at: null });
    expect(row.reconfirmed_at).not.toBeNull();
    await expect
      .poll(() => t.telegram.textsIn(lead.chat).find((m) => m.startsWith("Good,")), POLL)
      .toMatch(new RegExp(`^Good, ${booking.reference} stays booked`));
    // The question is gone: its "Yes, cancel" asks again rather than cancel.
    expect(await tap(lead.chat, question()!.message_id, `booking:cancel_yes:${booking.id}`)).toBe(
      "Please confirm in the message below.",
    );
    expect((await bookingRow(booking.id)).status).toBe("confirmed");
  });

  it('gives a WhatsApp Cloud customer reply buttons, and a tap on "I\'m coming" reconfirms', async () => {
    const waId = waIdOf(`reminder-${Date.now()}`);
    await postWhatsApp(t, webhook([{ id: `wamid.rem${Date.now()}`, from: waId, text: "Dinner for four?" }]));
    const [lead] = await t.rows<{ id: string }>(sql`select id::text from inquiries where external_chat_id = ${waId}`);
    const booking = await confirmed(lead!.id, 2 * HOUR + 2000);
    const find = () =>
      t.whatsapp.sent.find((m) => m.to === waId && m.interactive?.body.text.startsWith("A reminder of your booking"));
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    expect(find()!.interactive).toMatchObject({
      type: "button",
      action: {
        buttons: [
          { type: "reply", reply: { id: `booking:coming:${booking.id}`, title: "I'm coming" } },
          { type: "reply", reply: { id: `booking:cancel:${booking.id}`, title: "Cancel" } },
        ],
      },
    });
    const tapped = webhook([
      {
        id: `wamid.remtap${Date.now()}`,
        from: waId,
        type: "interactive",
        extra: {
          interactive: {
            type: "button_reply",
            button_reply: { id: `booking:coming:${booking.id}`, title: "I'm coming" },
          },
        },
      },
    ]);
    expect((await postWhatsApp(t, tapped)).status).toBe(200);
    expect((await bookingRow(booking.id)).reconfirmed_at).not.toBeNull();
    await expect
      .poll(() => t.whatsapp.textsTo(waId).find((m) => m.startsWith("Thank you for letting us know")), POLL)
      .toContain(booking.reference);
  });

  it("sends a web-form lead no message, and its timeline says no reminder could be sent", async () => {
    const lead = await api("POST", "/inquiries", { source: "web_form", client: { email: "no-chat@example.com" } });
    const booking = await confirmed(lead.id, 2 * HOUR + 2000);
    await expect.poll(() => reminderRows(booking.id), POLL).toEqual([{ minutes_before: 120, outcome: "no_chat" }]);
    const outbound = await t.rows<{ n: number }>(
      sql`select count(*)::int as n from messages where inquiry_id = ${lead.id} and direction = 'outbound'`,
    );
    expect(outbound[0]!.n).toBe(0);
    const timeline = (await api("GET", `/inquiries/${lead.id}/timeline`)).items;
    expect(timeline).toContainEqual(
      expect.objectContaining({
        kind: "booking",
        action: "booking.reminder_not_sent",
        summary: `${booking.reference}: no reminder could be sent 2 h before the start: the lead came via web form, without a chat`,
        actor_id: null,
        entity_type: "booking",
        entity_id: booking.id,
      }),
    );
    // The client's UK GDPR export lists it too.
    const exported = await api("GET", `/clients/${lead.client_id}/export`);
    expect(exported.reminders).toEqual([
      { booking_id: booking.id, minutes_before: 120, outcome: "no_chat", created_at: expect.any(String) },
    ]);
  });

  it("sends nothing once a booking ends, nor after its start, nor a reminder due before the confirmation", async () => {
    // Cancelled by staff: its reminders are disarmed.
    const lead = await telegramLead();
    const cancelled = await confirmed(lead.id, 3 * HOUR);
    await expect.poll(() => reminderJob(cancelled.id, 120), POLL).toBe("delayed");
    await api("POST", `/bookings/${cancelled.id}/cancel`, { reason: "the room is closed for repairs" });
    await expect.poll(() => reminderJob(cancelled.id, 120), POLL).toBeUndefined();

    // Confirmed an hour before its start: neither reminder is armed.
    const late = await confirmed((await telegramLead()).id, HOUR);
    await expect.poll(() => t.hub.jobs.state(BOOKINGS_QUEUE, `booking-completion-${late.id}`), POLL).toBe("delayed");
    expect(await reminderJob(late.id, 120)).toBeUndefined();
    expect(await reminderJob(late.id, 2880)).toBeUndefined();

    // The start passes before the reminder's job runs (a worker that was down): it finds it too late and sends nothing.
    const missed = await telegramLead();
    const booking = await confirmed(missed.id, 2 * HOUR + 3000);
    await expect.poll(() => reminderJob(booking.id, 120), POLL).toBe("delayed");
    ahead += 3 * HOUR;
    await expect.poll(() => reminderJob(booking.id, 120), POLL).toBe("completed");
    expect(await reminderRows(booking.id)).toEqual([]);
    expect(remindersIn(missed.chat)).toEqual([]);
    expect(remindersIn(lead.chat)).toEqual([]);
  });

  it("sends both reminders of BOOKING_REMINDER_HOURS=48,2, each once, however often its timer fires", async () => {
    const lead = await telegramLead();
    const booking = await confirmed(lead.id, 48 * HOUR + 2000);
    await reminderIn(lead.chat);
    await expect.poll(() => reminderJob(booking.id, 2880), POLL).toBe("completed");
    expect(await reminderJob(booking.id, 120)).toBe("delayed");

    // The 48 h timer fires again (another job with its data): the row written with the first sends nothing more.
    const again = await t.hub.jobs.enqueue(
      BOOKINGS_QUEUE,
      reminderTimer.job,
      reminderTimer.data(reminderKey(booking.id, 2880)),
      {
        jobId: `again-${booking.id}`,
      },
    );
    await expect.poll(() => t.hub.jobs.state(BOOKINGS_QUEUE, again.id), POLL).toBe("completed");
    expect(remindersIn(lead.chat)).toHaveLength(1);

    // 46 hours on, the 2 h reminder is due; its job is lost (a Redis that lost its keys) and the sweep arms it again.
    ahead += 46 * HOUR;
    expect(await t.hub.jobs.cancel(BOOKINGS_QUEUE, reminderTimer.jobId(reminderKey(booking.id, 120)))).toBe(true);
    await expect.poll(() => remindersIn(lead.chat).length, POLL).toBe(2);
    expect(await reminderRows(booking.id)).toEqual([
      { minutes_before: 2880, outcome: "sent" },
      { minutes_before: 120, outcome: "sent" },
    ]);
    // Later sweeps arm nothing more: a third never comes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(remindersIn(lead.chat)).toHaveLength(2);
  });
});
