// Staff on Telegram: linking with a one-time code, logging phone calls, the queue, SLA breaches, one inquiry.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_ADMIN_ID } from "../../../hub/auth/users";
import { startHub, type TelegramTestHub } from "../../support/hub";
import { newChatId, textUpdate } from "./updates";

describe("Telegram operators", () => {
  let h: TelegramTestHub;
  let clockOffsetMs = 0;
  let operator: { id: string; key: string };
  let operatorChat: number;
  let messageId = 0;

  beforeAll(async () => {
    h = await startHub({ telegram: true, overrides: { now: () => new Date(Date.now() + clockOffsetMs) } });
    operator = await h.createUser("operator", "Olga Operator");
    operatorChat = newChatId();
  });
  afterAll(() => h.stop());

  const linkCode = async (userId: string, key?: string) =>
    h.request("POST", `/operators/${userId}/telegram-link`, { key: key ?? h.adminKey });
  /** Sends a message from `chatId` and returns what the bot answered to it. */
  const say = async (
    chatId: number,
    text: string,
    options: { messageId?: number; updateId?: number; date?: number } = {},
  ) => {
    const before = h.telegram.textsIn(chatId).length;
    const res = await h.telegram.post(
      textUpdate(
        { chatId, messageId: options.messageId ?? ++messageId, updateId: options.updateId, date: options.date },
        text,
      ),
    );
    expect(res.status).toBe(200);
    return h.telegram.textsIn(chatId).slice(before).join("\n");
  };
  const countInquiries = async () =>
    Number((await h.hub.database.rows<{ n: string }>(sql`select count(*)::text as n from inquiries`))[0]!.n);

  describe("linking", () => {
    it("gives staff a one-time code for themselves; managers for others; anyone else is refused", async () => {
      const own = await linkCode(operator.id, operator.key);
      expect(own.status).toBe(201);
      expect(own.body).toMatchObject({
        code: expect.stringMatching(/^[A-Z2-7]{8}$/),
        command: `/link ${own.body.code}`,
      });
      expect(own.body.expires_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[01]:00$/);
      const other = await h.createUser("operator");
      expect((await linkCode(other.id, operator.key)).status).toBe(403);
      const manager = await h.createUser("manager");
      expect((await linkCode(other.id, manager.key)).status).toBe(201);
      expect((await linkCode(BOOTSTRAP_ADMIN_ID, manager.key)).status).toBe(403); // a manager may not link an admin
      expect((await linkCode("00000000-0000-4000-8000-00000000ffff")).status).toBe(404);
      expect((await linkCode("not-a-uuid")).status).toBe(400);
      const [row] = await h.hub.database.rows<{ code_hash: string }>(
        sql`select code_hash from telegram_link_codes limit 1`,
      );
      expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("links the Telegram account that sends /link CODE, once; refuses wrong, used and expired codes", async () => {
      expect(await say(operatorChat, "/link AAAAAAAA")).toMatch(/not valid/);
      expect(await say(operatorChat, "/link")).toMatch(/^Usage: \/link CODE/);
      const { code } = (await linkCode(operator.id, operator.key)).body;
      expect(await say(operatorChat, `/link ${code}`)).toMatch(
        /^Linked: this Telegram account now acts for Olga Operator \(operator\)/,
      );
      // Notices of the inquiries these tests make would land between the commands and their answers.
      expect(await say(operatorChat, "/notify off")).toMatch(/^New-inquiry notices are off/);
      const [user] = await h.hub.database.rows<{ telegram_user_id: string }>(
        sql`select telegram_user_id from users where id = ${operator.id}`,
      );
      expect(user!.telegram_user_id).toBe(String(operatorChat));
      const [audit] = await h.hub.database.rows<{ n: string }>(
        sql`select count(*)::text as n from audit_log where action = 'operator.telegram_linked' and entity_id = ${operator.id}`,
      );
      expect(audit!.n).toBe("1");
      expect(await say(newChatId(), `/link ${code.toLowerCase()}`)).toMatch(/used already/);

      const stale = (await linkCode(operator.id, operator.key)).body.code;
      clockOffsetMs = 16 * 60_000;
      try {
        expect(await say(newChatId(), `/link ${stale}`)).toMatch(/expired/);
      } finally {
        clockOffsetMs = 0;
      }
    });
  });

  describe("commands of a linked operator", () => {
    it("/phone logs a phone inquiry under the operator; a redelivered update logs it once", async () => {
      const before = await countInquiries();
      // A redelivery is the very same update: same ids, same date.
      const update = { messageId: ++messageId, updateId: 990_001, date: Math.floor(Date.now() / 1000) - 5 };
      const answer = await say(operatorChat, "/phone 07911 123456 5m interested Table for 6 on Friday", update);
      expect(answer).toMatch(
        /^Logged INQ-\d+: call with \+447911123456, answered_interested\. Reply due by .* (GMT|BST)\.$/,
      );
      const reference = /INQ-\d+/.exec(answer)![0];
      const inquiry = (await h.request("GET", `/inquiries/${reference}`)).body;
      expect(inquiry).toMatchObject({
        source: "phone",
        operator_id: operator.id,
        duration_seconds: 300,
        call_result: "answered_interested",
        message: "Table for 6 on Friday",
        client: { phone: "+447911123456" },
        idempotency_key: `telegram-phone:${operatorChat}:${update.messageId}`,
        webhook_event_id: "990001",
      });
      expect(await say(operatorChat, "/phone 07911 123456 5m interested Table for 6 on Friday", update)).toBe(
        `Already logged as ${reference}.`,
      );
      expect(await countInquiries()).toBe(before + 1);
      // Other ways of writing the same things.
      expect(await say(operatorChat, "/phone +447911123457 1h5m callback_requested")).toMatch(/^Logged INQ-\d+/);
      expect(await say(operatorChat, "/phone 07911123458 90s vm")).toMatch(/^Logged INQ-\d+/);
      expect(await countInquiries()).toBe(before + 3);
    });

    it("/phone with bad arguments answers the usage and stores nothing", async () => {
      const before = await countInquiries();
      for (const args of [
        "",
        "07911123456",
        "07911123456 5m",
        "12345 5m interested",
        "07911123456 soon interested",
        "07911123456 5m maybe",
        "07911123456 999h interested",
      ]) {
        const answer = await say(operatorChat, `/phone ${args}`.trim());
        expect(answer, args).toContain("Usage: /phone <phone> <duration> <result> [note]");
      }
      expect(await countInquiries()).toBe(before);
    });

    it("/queue lists open inquiries by priority with London deadlines", async () => {
      const answer = await say(operatorChat, "/queue");
      expect(answer).toMatch(
        /^Next up \(London time\):\nINQ-\d+ · phone · new · due .* (GMT|BST) \(in \d+ min\) · \+44/,
      );
    });

    it("/sla lists inquiries past their deadline", async () => {
      const late = await h.request("POST", "/inquiries", {
        key: operator.key,
        body: {
          source: "web_form",
          client: { email: "late@example.com" },
          received_at: new Date(Date.now() - 3 * 3600_000).toISOString(),
        },
      });
      expect(late.status).toBe(201);
      const answer = await say(operatorChat, "/sla");
      expect(answer).toMatch(/^Past their reply deadline \(London time\):/);
      expect(answer).toMatch(
        new RegExp(`${late.body.reference} · web_form · due .* (GMT|BST) · 2 h \\d+ min overdue · late@example.com`),
      );
    });

    it("/inquiry shows one inquiry; an unknown reference or none gets a clear answer", async () => {
      const [{ reference }] = (await h.hub.database.rows<{ reference: string }>(
        sql`select 'INQ-' || number as reference from inquiries where source = 'phone' order by number limit 1`,
      )) as [{ reference: string }];
      const card = await say(operatorChat, `/inquiry ${reference.toLowerCase()}`);
      expect(card).toMatch(new RegExp(`^${reference}\nSource: phone\nStatus: new\nClient: \\+447911123456\n`));
      expect(card).toMatch(/Reply due: .* (GMT|BST)/);
      expect(card).toContain("Call: answered_interested, 5 min");
      expect(await say(operatorChat, "/inquiry INQ-999999")).toBe(
        "No inquiry INQ-999999. Expected an inquiry reference like INQ-12, or its id.",
      );
      expect(await say(operatorChat, "/inquiry tomorrow")).toBe(
        '"tomorrow" is not an inquiry. Expected an inquiry reference like INQ-12, or its id.',
      );
      expect(await say(operatorChat, "/inquiry")).toBe("Usage: /inquiry INQ-12");
    });

    it("/help lists the commands; other text from staff gets the same and opens no inquiry", async () => {
      expect(await say(operatorChat, "/help")).toMatch(/^Operator commands:\n\/phone/);
      const before = await countInquiries();
      expect(await say(operatorChat, "hello bot")).toMatch(/^Operator commands:/);
      expect(await countInquiries()).toBe(before);
    });
  });

  it("gives an unknown user's /queue, /sla and /inquiry the customer flow and no operator data", async () => {
    const stranger = newChatId();
    const [{ reference }] = (await h.hub.database.rows<{ reference: string }>(
      sql`select 'INQ-' || number as reference from inquiries order by number limit 1`,
    )) as [{ reference: string }];
    for (const command of ["/queue", "/sla", `/inquiry ${reference}`, "/phone 07911123459 5m interested"]) {
      const answer = await say(stranger, command);
      expect(answer).not.toMatch(/Next up|Past their|Source:|Logged/);
    }
    await expect
      .poll(() => h.telegram.textsIn(stranger).join("\n"), { timeout: 15_000 })
      .toMatch(/Your reference is INQ-\d+/);
    const all = h.telegram.textsIn(stranger).join("\n");
    expect(all).not.toContain(`${reference} `);
    expect(all).not.toMatch(/Operator commands|\+447911123456/);
    const phones = await h.hub.database.rows(
      sql`select 1 from inquiries where source = 'phone' and operator_id is null`,
    );
    expect(phones).toEqual([]);
  });

  it("stops answering as staff once the user is deactivated", async () => {
    const temp = await h.createUser("operator");
    const chat = newChatId();
    expect(await say(chat, `/link ${(await linkCode(temp.id)).body.code}`)).toMatch(/^Linked/);
    expect(await say(chat, "/queue")).toMatch(/^Next up/);
    await h.hub.database.rows(sql`update users set active = false where id = ${temp.id}`);
    expect(await say(chat, "/queue")).not.toMatch(/Next up/);
  });
});
