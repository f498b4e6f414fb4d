// Staff answer customers in the chat they came from, from the API and from Telegram; who answered, and when.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post as postWhatsApp, waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import { startHub, type TelegramTestHub, type TestHub } from "../../support/hub";
import { messageUpdate, newChatId, textUpdate } from "../../channels/telegram/updates";
import { incoming } from "../../support/fakes/whatsapp-web-client";

const POLL = { timeout: 15_000, interval: 50 };

/**
 * Waits until the hub has recorded a notice it sent as sent: a reply to it is matched by that record, and Telegram
 * answers sendMessage a moment before the hub's transaction commits.
 */
const recorded = (h: TelegramTestHub, chat: number, messageId: number) =>
  expect
    .poll(
      async () =>
        (
          await h.hub.database.rows(
            sql`select 1 from staff_notices where telegram_message_id = ${`${chat}:${messageId}`}`,
          )
        ).length,
      POLL,
    )
    .toBe(1);

describe("staff answering customers (Telegram and WhatsApp Cloud)", () => {
  let h: TestHub<{ telegram: true; whatsapp: "cloud" }>;
  let olga: { id: string; key: string; chat: number };
  let pat: { id: string; key: string; chat: number };
  let messageId = 0;

  /** A staff member, linked to the bot from a Telegram chat of their own. */
  const linkedStaff = async (role: "operator" | "manager", name: string) => {
    const user = await h.createUser(role, name);
    const chat = newChatId();
    const { code } = (await h.request("POST", `/operators/${user.id}/telegram-link`)).body;
    await h.telegram.post(textUpdate({ chatId: chat, messageId: ++messageId }, `/link ${code}`));
    // The bot answers a command within the webhook's request.
    expect(h.telegram.textsIn(chat).join("\n")).toMatch(/^Linked/);
    return { ...user, chat };
  };

  /** What the bot said in a chat after `from` texts there (index into its sent list). */
  const textsSince = (chat: number, from: number) => h.telegram.textsIn(chat).slice(from);
  /** The bot's answer to a command: notices of other inquiries may land meanwhile, and are left out. */
  const NOTICE = /^(New inquiry INQ-\d+ · |SLA breached: |Escalation: |INQ-\d+ · .*\(\w[\w ]*\):\n)/;
  const say = async (chat: number, text: string, content: Record<string, unknown> = {}) => {
    const before = h.telegram.textsIn(chat).length;
    const update = Object.keys(content).length
      ? messageUpdate({ chatId: chat, messageId: ++messageId }, { text, ...content })
      : textUpdate({ chatId: chat, messageId: ++messageId }, text);
    expect((await h.telegram.post(update)).status).toBe(200);
    return textsSince(chat, before)
      .filter((t) => !NOTICE.test(t))
      .join("\n");
  };

  /** A Telegram customer's first message: the inquiry it opened. */
  const telegramLead = async (text = "Table for four on Friday") => {
    const chat = newChatId();
    await h.telegram.post(textUpdate({ chatId: chat, messageId: 1, firstName: "Ann", lastName: "Smith" }, text));
    const [row] = await h.hub.database.rows<{ id: string; reference: string }>(
      sql`select id::text, 'INQ-' || number as reference from inquiries where external_chat_id = ${String(chat)}`,
    );
    return { ...row!, chat };
  };

  /** The notice a staff member got about an inquiry (its Telegram message), once it has arrived. */
  const noticeOf = async (staffChat: number, reference: string, starts = "New inquiry") => {
    const find = () =>
      h.telegram.sent.find(
        (m) => m.chat_id === String(staffChat) && m.text.startsWith(starts) && m.text.includes(`${reference} `),
      );
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    await recorded(h, staffChat, find()!.message_id);
    return find()!;
  };

  const replyTo = (chat: number, notice: { message_id: number; text: string }, text: string) =>
    say(chat, text, {
      reply_to_message: {
        message_id: notice.message_id,
        date: 0,
        chat: { id: chat, type: "private" },
        text: notice.text,
      },
    });

  const inquiry = async (id: string) => (await h.request("GET", `/inquiries/${id}`)).body;
  const conversation = async (id: string) =>
    (await h.request("GET", `/inquiries/${id}/messages`)).body.items as Record<string, unknown>[];

  beforeAll(async () => {
    h = await startHub({ telegram: true, whatsapp: "cloud" });
    olga = await linkedStaff("operator", "Olga");
    pat = await linkedStaff("operator", "Pat");
  });
  afterAll(async () => {
    await h.stop();
  });

  it("tells every notified operator of a new inquiry: source, reference, client, first message, London deadline", async () => {
    const lead = await telegramLead("Table for four on Friday");
    for (const staff of [olga, pat]) {
      const notice = await noticeOf(staff.chat, lead.reference);
      expect(notice.text).toMatch(
        new RegExp(
          `^New inquiry ${lead.reference} · Telegram\\nAnn Smith\\n"Table for four on Friday"\\nReply due by \\w{3} \\d+ \\w{3} \\d{4}, \\d\\d:\\d\\d (GMT|BST)\\nReply to this message`,
        ),
      );
    }
    await expect
      .poll(
        async () =>
          (
            await h.hub.database.rows<{ status: string }>(
              sql`select status::text from staff_notices where inquiry_id = ${lead.id}`,
            )
          ).map((r) => r.status),
        POLL,
      )
      .toEqual(["sent", "sent"]);
  });

  it("answers a Telegram customer from the API: 202, the text in their chat alone, its author recorded, the first response set", async () => {
    const lead = await telegramLead();
    await expect.poll(() => h.telegram.textsIn(lead.chat).join("\n"), POLL).toMatch(/Your reference is/);
    // The acknowledgement and the guided question are the hub's, not a person's: no response yet.
    expect(await inquiry(lead.id)).toMatchObject({ first_response_at: null, sla_status: "pending" });

    const res = await h.request("POST", `/inquiries/${lead.reference}/messages`, {
      key: olga.key,
      body: { text: "  Hello Ann, Friday at 7 works.  " },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      inquiry_id: lead.id,
      direction: "outbound",
      status: "queued",
      author_id: olga.id,
      author_name: "Olga",
      body: "Hello Ann, Friday at 7 works.",
    });

    await expect.poll(() => h.telegram.textsIn(lead.chat), POLL).toContain("Hello Ann, Friday at 7 works.");
    expect(h.telegram.textsIn(lead.chat).join("\n")).not.toContain("Olga");
    await expect
      .poll(async () => (await conversation(lead.id)).find((m) => m.id === res.body.id)?.status, POLL)
      .toBe("sent");
    const messages = await conversation(lead.id);
    expect(messages.filter((m) => m.direction === "outbound" && m.author_id === null).length).toBeGreaterThan(0);
    expect(messages.find((m) => m.id === res.body.id)).toMatchObject({ author_id: olga.id, author_name: "Olga" });
    await expect.poll(async () => (await inquiry(lead.id)).first_response_at, POLL).not.toBeNull();
    expect((await inquiry(lead.id)).sla_status).toBe("met");
  });

  it("answers by replying in Telegram to the new-inquiry notice", async () => {
    const lead = await telegramLead("Do you have a room for twelve?");
    const notice = await noticeOf(pat.chat, lead.reference);
    expect(await replyTo(pat.chat, notice, "Yes, the garden room. When would you like it?")).toMatch(
      new RegExp(`^Sending to ${lead.reference} in the customer's Telegram chat\\.`),
    );
    await expect
      .poll(() => h.telegram.textsIn(lead.chat), POLL)
      .toContain("Yes, the garden room. When would you like it?");
    expect(
      (await conversation(lead.id)).find((m) => m.body === "Yes, the garden room. When would you like it?"),
    ).toMatchObject({ author_id: pat.id });
  });

  it("answers with /reply by reference or by id; a bad reference gets one line saying what was expected", async () => {
    const lead = await telegramLead();
    await say(olga.chat, `/reply ${lead.reference.toLowerCase()} First by reference`);
    await say(olga.chat, `/reply ${lead.id} Then by id`);
    await expect
      .poll(() => h.telegram.textsIn(lead.chat), POLL)
      .toEqual(expect.arrayContaining(["First by reference", "Then by id"]));
    expect(await say(olga.chat, "/reply INQ-999999 hello")).toBe(
      "No inquiry INQ-999999. Expected an inquiry reference like INQ-12, or its id.",
    );
    expect(await say(olga.chat, "/reply friday hello")).toBe(
      '"friday" is not an inquiry. Expected an inquiry reference like INQ-12, or its id.',
    );
    expect(await say(olga.chat, `/reply ${lead.reference}`)).toBe("Usage: /reply INQ-12 your answer to the customer");
    expect(await say(olga.chat, "/take")).toBe("Usage: /take INQ-12");
    // A reply to a message that is no notice of the hub's.
    expect(await replyTo(olga.chat, { message_id: 1, text: "mine" }, "hello?")).toMatch(/not one of the hub's notices/);
  });

  it("/take makes an inquiry the operator's: in_progress, assignee set, audited; later messages go to the assignee only", async () => {
    const lead = await telegramLead("Hi there");
    await noticeOf(olga.chat, lead.reference);
    // Nobody has taken it: every notified operator hears the customer's next message.
    await h.telegram.post(textUpdate({ chatId: lead.chat, messageId: 2 }, "Any parking nearby?"));
    for (const staff of [olga, pat]) {
      const relayed = await noticeOf(staff.chat, lead.reference, lead.reference);
      expect(relayed.text).toBe(
        `${lead.reference} · Ann Smith (Telegram):\nAny parking nearby?\n\nReply to this message to answer.`,
      );
    }

    expect(await say(olga.chat, `/take ${lead.reference}`)).toMatch(new RegExp(`^${lead.reference} is yours`));
    expect(await inquiry(lead.id)).toMatchObject({ status: "in_progress", assignee_id: olga.id });
    const [audit] = await h.hub.database.rows<{ actor_id: string; after: unknown }>(
      sql`select actor_id::text, after from audit_log where action = 'inquiry.assigned' and entity_id = ${lead.id}`,
    );
    expect(audit).toMatchObject({ actor_id: olga.id, after: { assignee_id: olga.id, status: "in_progress" } });

    const patBefore = h.telegram.textsIn(pat.chat).length;
    await h.telegram.post(textUpdate({ chatId: lead.chat, messageId: 3 }, "And is it step-free?"));
    const toOlga = await noticeOf(
      olga.chat,
      lead.reference,
      `${lead.reference} · Ann Smith (Telegram):\nAnd is it step-free?`,
    );
    // A window for a notice that must not come: Pat is not the one taking this lead.
    await new Promise((r) => setTimeout(r, 300));
    expect(textsSince(pat.chat, patBefore).join("\n")).not.toContain("step-free");

    // Replying to the relayed message answers the customer.
    await replyTo(olga.chat, toOlga, "Yes, step-free throughout.");
    await expect.poll(() => h.telegram.textsIn(lead.chat), POLL).toContain("Yes, step-free throughout.");

    expect((await h.request("POST", `/inquiries/${lead.id}/take`, { key: pat.key })).body).toMatchObject({
      assignee_id: pat.id,
    });
    await h.request("PATCH", `/inquiries/${lead.id}`, { body: { status: "lost" } });
    const refused = await h.request("POST", `/inquiries/${lead.id}/take`, { key: pat.key });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe(`${lead.reference} is lost; only a new or in_progress inquiry can be taken.`);
  });

  it("/notify off stops new-inquiry notices for that operator, /notify on brings them back", async () => {
    expect(await say(pat.chat, "/notify")).toBe("Usage: /notify on or /notify off (new-inquiry notices; now on)");
    expect(await say(pat.chat, "/notify off")).toMatch(/^New-inquiry notices are off/);
    const quiet = await telegramLead();
    await noticeOf(olga.chat, quiet.reference);
    // A window for a notice that must not come: Pat turned them off.
    await new Promise((r) => setTimeout(r, 300));
    expect(h.telegram.textsIn(pat.chat).join("\n")).not.toContain(`${quiet.reference} `);
    expect(await say(pat.chat, "/notify on")).toBe("New-inquiry notices are on.");
    const loud = await telegramLead();
    await noticeOf(pat.chat, loud.reference);
  });

  it("answers a WhatsApp customer from the API and from the bot, in their WhatsApp chat", async () => {
    const waId = waIdOf(`staff-replies-${Date.now()}`);
    expect(
      (await postWhatsApp(h, webhook([{ id: `wamid.staff${Date.now()}`, from: waId, text: "Hello from WhatsApp" }])))
        .status,
    ).toBe(200);
    const [lead] = await h.hub.database.rows<{ id: string; reference: string }>(
      sql`select id::text, 'INQ-' || number as reference from inquiries where external_chat_id = ${waId}`,
    );
    const res = await h.request("POST", `/inquiries/${lead!.id}/messages`, {
      key: olga.key,
      body: { text: "Hi, this is the team. How many guests?" },
    });
    expect(res.status).toBe(202);
    await expect.poll(() => h.whatsapp.textsTo(waId), POLL).toContain("Hi, this is the team. How many guests?");

    const notice = await noticeOf(pat.chat, lead!.reference);
    expect(notice.text).toMatch(
      new RegExp(`^New inquiry ${lead!.reference} · WhatsApp\\nAlice Customer · \\+${waId}\\n"Hello from WhatsApp"`),
    );
    expect(await replyTo(pat.chat, notice, "We can seat you at 8.")).toMatch(/in the customer's WhatsApp chat/);
    await expect.poll(() => h.whatsapp.textsTo(waId), POLL).toContain("We can seat you at 8.");
    await expect.poll(async () => (await inquiry(lead!.id)).sla_status, POLL).toBe("met");
  });

  it("refuses to answer a lead without a chat with 409, giving the client's phone or e-mail; the bot says the same", async () => {
    const partner = await h.createPartner();
    const cases = [
      { body: { source: "web_form", client: { email: "web@example.com" } }, says: "by e-mail at web@example.com" },
      {
        body: { source: "partner", partner_code: partner.code, client: { phone: "07911 123999" } },
        says: "by phone on +447911123999",
      },
      {
        body: {
          source: "phone",
          client: { phone: "+44 20 7946 0111" },
          duration_seconds: 60,
          call_result: "no_answer",
          operator_id: olga.id,
        },
        says: "by phone on +442079460111",
      },
    ];
    for (const { body, says } of cases) {
      const lead = (await h.request("POST", "/inquiries", { key: olga.key, body })).body;
      const res = await h.request("POST", `/inquiries/${lead.id}/messages`, {
        key: olga.key,
        body: { text: "hello" },
      });
      expect(res.status, body.source).toBe(409);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.detail).toContain("there is no chat to answer in");
      expect(res.body.detail).toContain(says);
      expect(await say(olga.chat, `/reply ${lead.reference} hello`)).toContain("there is no chat to answer in");
    }
    const outbound = await h.hub.database.rows(
      sql`select 1 from messages m join inquiries i on i.id = m.inquiry_id where i.source in ('web_form', 'partner', 'phone')`,
    );
    expect(outbound).toEqual([]);
  });

  it("says what is wrong with a reply: empty, too long, an unknown field, an unknown inquiry, no key", async () => {
    const lead = await telegramLead();
    const bad = async (body: unknown) =>
      (await h.request("POST", `/inquiries/${lead.id}/messages`, { key: olga.key, body })).body;
    expect((await bad({ text: "   " })).errors).toEqual([{ field: "text", message: "must not be empty" }]);
    expect((await bad({ text: "x".repeat(4097) })).errors).toEqual([
      { field: "text", message: "must be at most 4096 characters" },
    ]);
    expect((await bad({ text: "hi", author_id: olga.id })).status).toBe(400);
    expect(
      (await h.request("POST", "/inquiries/INQ-999999/messages", { key: olga.key, body: { text: "hi" } })).status,
    ).toBe(404);
    expect(
      (await h.request("POST", `/inquiries/${lead.id}/messages`, { key: null, body: { text: "hi" } })).status,
    ).toBe(401);
    expect(
      (await h.request("POST", `/inquiries/${lead.id}/messages`, { key: olga.key, body: { text: "x".repeat(4096) } }))
        .status,
    ).toBe(202);
  });

  it("logs a contact outside the chat: 201, audited, the first response once; the list shows who", async () => {
    const lead = (
      await h.request("POST", "/inquiries", {
        key: olga.key,
        body: { source: "web_form", client: { email: "called@example.com" } },
      })
    ).body;
    expect(lead).toMatchObject({ first_response_at: null, sla_status: "pending" });
    const first = await h.request("POST", `/inquiries/${lead.id}/contacts`, {
      key: olga.key,
      body: { kind: "call", note: "Left a voicemail" },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      inquiry_id: lead.id,
      kind: "call",
      note: "Left a voicemail",
      author_id: olga.id,
      author_name: "Olga",
    });
    const answered = await inquiry(lead.id);
    expect(answered.first_response_at).toBe(first.body.created_at);
    expect(answered.sla_status).toBe("met");
    await h.request("POST", `/inquiries/${lead.id}/contacts`, {
      key: pat.key,
      body: { kind: "email", note: "Sent the menu" },
    });
    expect((await inquiry(lead.id)).first_response_at).toBe(first.body.created_at);
    const list = (await h.request("GET", `/inquiries/${lead.id}/contacts`, { key: pat.key })).body.items;
    expect(list.map((c: { kind: string; author_name: string }) => [c.kind, c.author_name])).toEqual([
      ["call", "Olga"],
      ["email", "Pat"],
    ]);
    const [audits] = await h.hub.database.rows<{ n: string }>(
      sql`select count(*)::text as n from audit_log where action = 'inquiry.contact_logged' and entity_id = ${lead.id}`,
    );
    expect(audits!.n).toBe("2");
    const refused = await h.request("POST", `/inquiries/${lead.id}/contacts`, {
      key: olga.key,
      body: { kind: "pigeon", note: "x" },
    });
    expect(refused.body.errors).toEqual([{ field: "kind", message: "must be one of call, email, in_person" }]);
  });

  it("counts a phone lead as answered by its call", async () => {
    const lead = (
      await h.request("POST", "/inquiries", {
        key: olga.key,
        body: {
          source: "phone",
          client: { phone: "+44 20 7946 0222" },
          duration_seconds: 30,
          call_result: "answered_interested",
          operator_id: olga.id,
        },
      })
    ).body;
    expect(lead.first_response_at).toBe(lead.received_at);
    expect(lead.sla_status).toBe("met");
  });

  it("gives the bot's /queue the order of GET /queue", async () => {
    const api = (await h.request("GET", "/queue?limit=10", { key: olga.key })).body.items.map(
      (i: { reference: string }) => i.reference,
    );
    const bot = [...(await say(olga.chat, "/queue")).matchAll(/^(INQ-\d+) · /gm)].map((m) => m[1]);
    expect(bot.length).toBeGreaterThan(1);
    expect(bot).toEqual(api);
  });

  it("lists the new routes in the OpenAPI document", async () => {
    const doc = (await h.request("GET", "/openapi.json", { key: null })).body;
    expect(Object.keys(doc.paths["/inquiries/{id}/messages"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/inquiries/{id}/contacts"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/inquiries/{id}/take"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/queue"])).toEqual(["get"]);
  });
});

describe("staff answering a WhatsApp customer on whatsapp-web.js", () => {
  let h: TestHub<{ telegram: true; whatsapp: "web" }>;
  let staff: { id: string; key: string; chat: number };

  beforeAll(async () => {
    h = await startHub({ telegram: true, whatsapp: "web" });
    const user = await h.createUser("operator", "Wes");
    const chat = newChatId();
    const { code } = (await h.request("POST", `/operators/${user.id}/telegram-link`)).body;
    await h.telegram.post(textUpdate({ chatId: chat, messageId: 1 }, `/link ${code}`));
    staff = { ...user, chat };
  });
  afterAll(() => h.stop());

  it("sends the operator's words from the API and from a Telegram reply into the customer's WhatsApp chat", async () => {
    const from = "447700900123@c.us";
    h.whatsapp.emit("message", incoming(from, { body: "Can we come at six?" }));
    await expect
      .poll(
        async () => (await h.hub.database.rows(sql`select 1 from inquiries where external_chat_id = ${from}`)).length,
        POLL,
      )
      .toBe(1);
    const [lead] = await h.hub.database.rows<{ id: string; reference: string }>(
      sql`select id::text, 'INQ-' || number as reference from inquiries where external_chat_id = ${from}`,
    );
    expect(
      (await h.request("POST", `/inquiries/${lead!.id}/messages`, { key: staff.key, body: { text: "Six is fine." } }))
        .status,
    ).toBe(202);
    await expect
      .poll(() => h.whatsapp.sent.filter((m) => m.chatId === from).map((m) => m.text), POLL)
      .toContain("Six is fine.");

    const find = () =>
      h.telegram.sent.find(
        (m) => m.chat_id === String(staff.chat) && m.text.startsWith(`New inquiry ${lead!.reference} `),
      );
    await expect.poll(() => find() !== undefined, POLL).toBe(true);
    const notice = find()!;
    await recorded(h, staff.chat, notice.message_id);
    await h.telegram.post(
      messageUpdate(
        { chatId: staff.chat, messageId: 2 },
        {
          text: "See you then.",
          reply_to_message: { message_id: notice.message_id, date: 0, chat: { id: staff.chat, type: "private" } },
        },
      ),
    );
    await expect
      .poll(() => h.whatsapp.sent.filter((m) => m.chatId === from).map((m) => m.text), POLL)
      .toContain("See you then.");
    await expect.poll(async () => (await h.request("GET", `/inquiries/${lead!.id}`)).body.sla_status, POLL).toBe("met");
  });
});
