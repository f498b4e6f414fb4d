// The guided questions: date and time, party size, service, saved on the inquiry; state kept in the database.
import pino from "pino";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHub } from "../../../hub/composition";
import { parseEnv } from "../../../hub/env";
import { CONVERSATION_STATE_PREFIX } from "../../../bots/telegram";
import { pruneStaleSessions } from "../../../channels/telegram/session-storage";
import { ChatBusyError, pruneChatLeases, withChatLease } from "../../../hub/conversations/chat-lease";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { WEBHOOK_SECRET } from "../../support/setup/telegram";
import { newChatId, textUpdate } from "./updates";

describe("Telegram guided conversation", () => {
  let h: TelegramTestHub;
  beforeAll(async () => {
    h = await startHub({ telegram: true });
  });
  afterAll(() => h.stop());

  const year = new Date().getUTCFullYear() + 1;
  let messageId = 0;
  const post = async (app: { request: typeof h.hub.app.request }, chatId: number, text: string) => {
    const res = await app.request("/webhooks/telegram", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET },
      body: JSON.stringify(textUpdate({ chatId, messageId: ++messageId }, text)),
    });
    expect(res.status).toBe(200);
  };
  const lastText = (chatId: number) =>
    h.telegram
      .textsIn(chatId)
      .filter((t) => !/Your reference is INQ-\d+\. We will reply/.test(t))
      .at(-1);
  const inquiryOf = async (chatId: number) =>
    (
      await h.request(
        "GET",
        `/inquiries/${(await h.hub.database.rows<{ id: string }>(sql`select id from inquiries where external_chat_id = ${String(chatId)}`))[0]!.id}`,
      )
    ).body;

  it("asks for the date and time, party size and service, and saves each answer; its state survives a new hub over the same database", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hello, I would like to book");
    // The first question rides in the acknowledgement (sent through the outbox), so it cannot arrive before it.
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(
        /^Thank you for your message\. Your reference is INQ-\d+\..*\n\nWhile we look at it, a few quick questions\. When would you like to come\?/s,
      );
    const [session] = await h.hub.database.rows<{ value: unknown }>(
      sql`select value from bot_sessions where key = ${`telegram:conversation:${chatId}`}`,
    );
    expect(JSON.stringify(session?.value)).toContain('"details":[{');

    await post(h.hub.app, chatId, "sometime soon");
    expect(lastText(chatId)).toMatch(/^Please write a date and a time/);
    await post(h.hub.app, chatId, `24/07/${year} 19:30`);
    expect(lastText(chatId)).toBe('How many people? (or "skip")');
    expect((await inquiryOf(chatId)).requested_start_at).toBe(`${year}-07-24T19:30:00.000+01:00`);

    // Another hub process over the same database (a restart, or a second instance) carries on where this one was.
    const other = await createHub({
      env: parseEnv(h.env),
      logger: pino({ level: "silent" }),
      database: h.hub.database,
      adminApiKey: h.adminKey,
    });
    await post(other.app, chatId, "4 people");
    expect(lastText(chatId)).toBe('Which service would you like? (or "skip")');
    expect((await inquiryOf(chatId)).party_size).toBe(4);

    await post(h.hub.app, chatId, "Dinner with a view");
    const inquiry = await inquiryOf(chatId);
    expect(inquiry).toMatchObject({
      party_size: 4,
      service: "Dinner with a view",
      requested_start_at: `${year}-07-24T19:30:00.000+01:00`,
    });
    expect(lastText(chatId)).toMatch(
      new RegExp(
        `^Thank you, we have noted: \\w{3} 24 Jul ${year}, 19:30 BST, 4 people, Dinner with a view\\. Your reference is ${inquiry.reference}\\.$`,
      ),
    );

    // The questions and answers are all in the inquiry's conversation.
    const { items } = (await h.request("GET", `/inquiries/${inquiry.id}/messages`)).body;
    expect(
      items
        .filter((m: any) => m.direction === "outbound" && m.template?.startsWith("telegram.a"))
        .map((m: any) => [m.template, m.status]),
    ).toEqual([
      ["telegram.acknowledged", "sent"],
      ["telegram.ask_party_size", "sent"],
      ["telegram.ask_service", "sent"],
    ]);
    expect(items.filter((m: any) => m.direction === "inbound")).toHaveLength(5);

    // Done: the next message is only a message.
    const sent = h.telegram.textsIn(chatId).length;
    await post(h.hub.app, chatId, "See you then!");
    expect(h.telegram.textsIn(chatId).length).toBe(sent);
    const [left] = await h.hub.database.rows<{ value: unknown }>(
      sql`select value from bot_sessions where key = ${`telegram:conversation:${chatId}`}`,
    );
    expect(left).toBeUndefined(); // a finished conversation leaves no state behind
  });

  it("reads when and how many from the first message, says what it understood, and asks only what is missing", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, `A table for 4 on 24/07/${year} at 7pm please`);
    await expect.poll(async () => (await inquiryOf(chatId)).party_size, { timeout: 15_000 }).toBe(4);
    expect((await inquiryOf(chatId)).requested_start_at).toBe(`${year}-07-24T19:00:00.000+01:00`);
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(
        new RegExp(
          `We understood: \\w{3} 24 Jul ${year}, 19:00 BST, 4 people\\. If that is not right, just tell us\\.\n\nWhich service would you like\\? \\(or "skip"\\)$`,
        ),
      );
    await post(h.hub.app, chatId, "Birthday dinner");
    const inquiry = await inquiryOf(chatId);
    expect(inquiry.service).toBe("Birthday dinner");
    expect(lastText(chatId)).toBe(`Thank you, we have noted: Birthday dinner. Your reference is ${inquiry.reference}.`);
  });

  it("lets the customer skip questions; a winter date is read as GMT", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hi");
    await post(h.hub.app, chatId, `${year}-12-05 7pm`);
    await post(h.hub.app, chatId, "skip");
    await post(h.hub.app, chatId, "skip");
    const inquiry = await inquiryOf(chatId);
    expect(inquiry).toMatchObject({
      requested_start_at: `${year}-12-05T19:00:00.000+00:00`,
      party_size: null,
      service: null,
    });
    expect(lastText(chatId)).toMatch(new RegExp(`^Thank you, we have noted: \\w{3} 5 Dec ${year}, 19:00 GMT\\.`));
  });

  it("takes a chat's answers one at a time: a second answer sent while the first is handled is not read against stale state", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hi");
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/When would you like to come\?/);
    // The first answer's handling is held at its reply (the next question) while the second answer comes in.
    const held = h.telegram.holdNext("sendMessage", (body) => String(body.chat_id) === String(chatId));
    const first = post(h.hub.app, chatId, `24/07/${year} 19:30`);
    await held.reached;
    const second = post(h.hub.app, chatId, "4 people");
    // A window in which the second answer must not get ahead of the held first one (it may only wait its turn).
    await new Promise((resolve) => setTimeout(resolve, 300));
    held.release();
    await Promise.all([first, second]);
    expect(h.telegram.textsIn(chatId).filter((t) => /^Please write a date and a time/.test(t))).toEqual([]);
    expect(await inquiryOf(chatId)).toMatchObject({
      requested_start_at: `${year}-07-24T19:30:00.000+01:00`,
      party_size: 4,
    });
    expect(lastText(chatId)).toBe('Which service would you like? (or "skip")');
  });

  it("takes a chat's answers one at a time across hub processes: the second process waits for the first's lease", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hi");
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/When would you like to come\?/);
    const other = await createHub({
      env: parseEnv(h.env),
      logger: pino({ level: "silent" }),
      database: h.hub.database,
      adminApiKey: h.adminKey,
    });
    const held = h.telegram.holdNext("sendMessage", (body) => String(body.chat_id) === String(chatId));
    const first = post(h.hub.app, chatId, `24/07/${year} 19:30`);
    await held.reached;
    const second = post(other.app, chatId, "4 people");
    // A window in which the second process must not get ahead of the held first one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The second process is waiting for the chat's lease, not answering against the state the first is changing.
    const [lease] = await h.hub.database.rows<{ n: string }>(
      sql`select count(*)::text as n from chat_leases where key = ${`telegram:${chatId}`}`,
    );
    expect(lease!.n).toBe("1");
    held.release();
    await Promise.all([first, second]);
    expect(h.telegram.textsIn(chatId).filter((t) => /^Please write a date and a time/.test(t))).toEqual([]);
    expect(await inquiryOf(chatId)).toMatchObject({
      requested_start_at: `${year}-07-24T19:30:00.000+01:00`,
      party_size: 4,
    });
    const [left] = await h.hub.database.rows<{ n: string }>(
      sql`select count(*)::text as n from chat_leases where key = ${`telegram:${chatId}`}`,
    );
    expect(left!.n).toBe("0");
  });

  it("takes over a chat lease whose holder died, and gives up on a live one after waiting", async () => {
    const key = `telegram:${newChatId()}`;
    await h.hub.database.rows(
      sql`insert into chat_leases (key, holder, expires_at) values (${key}, gen_random_uuid(), now() - interval '1 second')`,
    );
    expect(await withChatLease(h.hub.db, key, async () => "ran")).toBe("ran");
    await h.hub.database.rows(
      sql`insert into chat_leases (key, holder, expires_at) values (${key}, gen_random_uuid(), now() + interval '1 minute')`,
    );
    await expect(withChatLease(h.hub.db, key, async () => "ran", { waitMs: 300 })).rejects.toBeInstanceOf(
      ChatBusyError,
    );
    expect(await pruneChatLeases(h.hub.db, 0)).toBe(0); // still live
  });

  it("/start drops the questions", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hi");
    // The acknowledgement comes through the outbox, at its own pace: counted only once it is there.
    await expect
      .poll(() => h.telegram.textsIn(chatId).join("\n"), { timeout: 15_000 })
      .toMatch(/When would you like to come\?/);
    await post(h.hub.app, chatId, "/start");
    const sent = h.telegram.textsIn(chatId).length;
    await post(h.hub.app, chatId, "12");
    expect(h.telegram.textsIn(chatId).length).toBe(sent); // not taken as an answer
  });

  it("drops a closed inquiry's questions when the chat's next inquiry opens: answers go to the new one", async () => {
    const chatId = newChatId();
    await post(h.hub.app, chatId, "Hi");
    const first = await inquiryOf(chatId);
    await h.request("PATCH", `/inquiries/${first.id}`, { body: { status: "closed" } });
    await post(h.hub.app, chatId, "New booking please");
    // The new inquiry's acknowledgement asks again.
    await expect
      .poll(() => h.telegram.textsIn(chatId).filter((t) => /When would you like to come\?/.test(t)).length, {
        timeout: 15_000,
      })
      .toBe(2);
    await post(h.hub.app, chatId, `01/08/${year} 12:00`);
    const rows = await h.hub.database.rows<{ status: string; requested: boolean }>(
      sql`select status, requested_start_at is not null as requested from inquiries where external_chat_id = ${String(chatId)} order by number`,
    );
    expect(rows).toEqual([
      { status: "closed", requested: false },
      { status: "new", requested: true },
    ]);
  });

  it("prunes conversation state left unfinished for longer than asked, and nothing newer or of another kind", async () => {
    const [stale, fresh] = [newChatId(), newChatId()];
    await h.hub.database.rows(sql`insert into bot_sessions (key, value, updated_at) values
      (${`${CONVERSATION_STATE_PREFIX}${stale}`}, '{}', now() - interval '8 days'),
      (${`${CONVERSATION_STATE_PREFIX}${fresh}`}, '{}', now() - interval '1 day'),
      (${`other:${stale}`}, '{}', now() - interval '30 days')`);
    expect(await pruneStaleSessions(h.hub.db, CONVERSATION_STATE_PREFIX, 7 * 24 * 3600_000)).toBe(1);
    const keys = (await h.hub.database.rows<{ key: string }>(sql`select key from bot_sessions`)).map((r) => r.key);
    expect(keys).not.toContain(`${CONVERSATION_STATE_PREFIX}${stale}`);
    expect(keys).toEqual(expect.arrayContaining([`${CONVERSATION_STATE_PREFIX}${fresh}`, `other:${stale}`]));
  });
});
