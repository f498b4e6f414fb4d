// createLogger: a database error is logged by its SQLSTATE, table, constraint and statement, never by the values.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { clientIdentities, clients } from "../../db/schema";
import { describeError } from "../../hub/core/jobs/driver";
import { createLogger, maskedIp, maskedPhone, maskedUrl } from "../../hub/core/logger";
import { maskText } from "../../hub/core/log-masking";
import { callbackUpdate, messageUpdate, newChatId, textUpdate } from "../channels/telegram/updates";
import { openTestDatabase } from "../support/database";
import { startHub, type TestHub } from "../support/hub";

const EMAIL = "ann.secret@example.com";
const NAME = "Ann Secretname";

function capture() {
  const lines: string[] = [];
  return { lines, logger: createLogger("debug", { write: (line: string) => void lines.push(line) }) };
}

describe("createLogger's error serializer", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase();
  });
  afterAll(() => handle.close());

  it("logs a refused insert (unique violation, e-mail in the key) as SQLSTATE, table, constraint and statement", async () => {
    const [client] = await handle.db.insert(clients).values({ name: NAME, email: EMAIL }).returning();
    const identity = { kind: "email" as const, value: EMAIL, clientId: client!.id };
    await handle.db.insert(clientIdentities).values(identity);
    const error = await handle.db
      .insert(clientIdentities)
      .values(identity)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // The error itself does carry the e-mail: in drizzle's message, its params, and the server's detail.
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).toContain(
      EMAIL,
    );

    const { lines, logger } = capture();
    logger.error({ err: error }, "could not add the identity");
    logger.child({ part: "test" }).warn(error as Error);
    logger.info({ err: error });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(EMAIL);
      expect(line).not.toContain("params");
      const { err } = JSON.parse(line);
      expect(err).toMatchObject({
        type: "DrizzleQueryError",
        code: "23505",
        table: "client_identities",
        constraint: "client_identities_kind_value_pk",
        statement: expect.stringMatching(/^insert client_identities #[0-9a-f]{8}$/),
        message: expect.stringMatching(
          /^the database refused insert client_identities #[0-9a-f]{8} \(SQLSTATE 23505\)$/,
        ),
        cause: { code: "23505", message: expect.stringContaining("SQLSTATE 23505") },
      });
      expect(err.stack).toMatch(/^DrizzleQueryError: the database refused .*\n\s+at /);
    }
  });

  it("keeps a failed job's reason (the jobs table, Redis, the dead-letter list) free of the statement's values", async () => {
    const [client] = await handle.db
      .insert(clients)
      .values({ name: NAME, email: `job.${EMAIL}` })
      .returning();
    const identity = { kind: "email" as const, value: `job.${EMAIL}`, clientId: client!.id };
    await handle.db.insert(clientIdentities).values(identity);
    const error = await handle.db
      .insert(clientIdentities)
      .values(identity)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const reason = describeError(error);
    expect(reason).not.toContain(EMAIL);
    expect(reason).toMatch(/^\w+: the database refused insert client_identities #[0-9a-f]{8} \(SQLSTATE 23505\)/);
  });

  it("keeps other errors' message, kind and cause", () => {
    const { lines, logger } = capture();
    const hubError = Object.assign(
      new Error("payment 42 is not open", {
        cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      }),
      { kind: "conflict", payload: { text: NAME } },
    );
    logger.error({ err: hubError }, "x");
    const { err } = JSON.parse(lines[0]!);
    expect(err).toMatchObject({
      type: "Error",
      message: "payment 42 is not open",
      kind: "conflict",
      cause: { message: "connect ECONNREFUSED", code: "ECONNREFUSED" },
    });
    expect(lines[0]).not.toContain(NAME);
  });
});

describe("a database error behind a route, in the hub's log", () => {
  let t: TestHub;
  const log = capture();
  beforeAll(async () => {
    t = await startHub({ overrides: { logger: log.logger } });
    // A trigger that quotes the value in its message, as a check or a cast error would.
    await t.hub.database.rows(
      sql.raw(`
      create function refuse_contact() returns trigger language plpgsql as $$
      begin raise exception 'refused note %', new.note using errcode = '23514', table = 'inquiry_contacts', constraint = 'contact_note_check'; end $$`),
    );
    await t.hub.database.rows(
      sql.raw(
        "create trigger refuse_contact before insert on inquiry_contacts for each row execute function refuse_contact()",
      ),
    );
  });
  afterAll(() => t.stop());

  it("POST /inquiries/{id}/contacts answers 500 and logs SQLSTATE, table and constraint, not the note or the e-mail", async () => {
    const inquiry = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { name: NAME, email: EMAIL } },
    });
    expect(inquiry.status).toBe(201);
    const res = await t.request("POST", `/inquiries/${inquiry.body.id}/contacts`, {
      body: { kind: "email", note: `Wrote to ${EMAIL}` },
    });
    expect(res.status).toBe(500);
    const line = log.lines.find((l) => l.includes('"unhandled error"'));
    expect(line).toBeDefined();
    expect(line).not.toContain(EMAIL);
    expect(JSON.parse(line!).err).toMatchObject({
      code: "23514",
      table: "inquiry_contacts",
      constraint: "contact_note_check",
      statement: expect.stringMatching(/^insert inquiry_contacts #/),
    });
    expect(log.lines.join("\n")).not.toContain(EMAIL);
  });
});

describe("what a log line may show of a person or a partner", () => {
  it("keeps a client address's network, a number's last four digits, and a URL's origin", () => {
    expect(maskedIp("203.0.113.77")).toBe("203.0.113.x");
    expect(maskedIp("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe("2001:db8:85a3:…");
    expect(maskedIp("unknown")).toBe("unknown");
    expect(maskedPhone("447911123456@c.us")).toBe("…3456");
    expect(maskedPhone("+44 7911 123456")).toBe("…3456");
    expect(maskedUrl("https://agency.example/hooks/hub?token=s3cret")).toBe("https://agency.example");
    expect(maskedUrl("not a url")).toBe("(not a URL)");
  });
});

describe("what any log line may show of a key, a secret, an e-mail, a phone or a card", () => {
  it("masks them by their shape in any text, and leaves ids, hashes, dates and times alone", () => {
    const key = `hub_${"Ab3-_x".repeat(8)}`;
    expect(maskText(`Authorization: Bearer ${key}`)).toBe("Authorization: Bearer [redacted]");
    expect(maskText(`key=${key}`)).toBe("key=hub_[redacted]");
    expect(maskText("sk_test_abcDEF0123456789 whsec_abc+/0123456789 wsk_abcdef0123456789")).toBe(
      "[secret] [secret] [secret]",
    );
    expect(maskText(`https://api.telegram.org/bot123456:${"A".repeat(35)}/sendMessage`)).toBe(
      "https://api.telegram.org/bot[bot token]/sendMessage",
    );
    expect(maskText("Write to ann.o+x@mail.example.co.uk today")).toBe("Write to [email] today");
    expect(maskText("call +44 7911 123456, or 07911 123456, or (020) 7946 0958")).toBe(
      "call …3456, or …3456, or …0958",
    );
    expect(maskText("card 4242 4242 4242 4242 / 5555-5555-5555-4444 / 4000056655665556")).toBe(
      "card [card] / [card] / [card]",
    );
    const kept =
      "550e8400-e29b-41d4-a716-446655440000 2026-07-01T23:30:00.000+01:00 sha 9f86d081884c7d659a2feaa0c55ad015 BKG-1234 ms 1234";
    expect(maskText(kept)).toBe(kept);
  });
});

describe("createLogger's masking, whatever a caller hands it", () => {
  it("redacts credentials by name and masks e-mails, phones, cards and keys in messages, fields, bindings and errors", () => {
    const { lines, logger } = capture();
    const key = `hub_${"k".repeat(43)}`;
    const child = logger.child({ part: "test", chat: "+44 7911 123456" });
    child.warn(
      {
        headers: { authorization: `Bearer ${key}`, cookie: "session=abc123" },
        request: { headers: { authorization: "Basic dXNlcjpwYXNz" } },
        api_key: key,
        body: { client: { email: "ann@example.com", phone: "07911 123456" }, note: "card 4242424242424242" },
        err: new Error(`Stripe said no to sk_test_abcdefgh12345678 for ann@example.com`),
      },
      `from ann@example.com (07911 123456) with ${key}`,
    );
    expect(lines).toHaveLength(1);
    for (const leak of [
      key,
      "abc123",
      "dXNlcjpwYXNz",
      "ann@example.com",
      "7911 123456",
      "4242424242424242",
      "sk_test_",
    ])
      expect(lines[0]).not.toContain(leak);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      chat: "…3456",
      headers: { authorization: "[redacted]", cookie: "[redacted]" },
      request: { headers: { authorization: "[redacted]" } },
      api_key: "[redacted]",
      body: { client: { email: "[email]", phone: "…3456" }, note: "card [card]" },
      err: { message: "Stripe said no to [secret] for [email]" },
      msg: "from [email] (…3456) with hub_[redacted]",
    });
  });
});

describe("a hub's log, at trace level, while it serves requests and webhooks", () => {
  const EMAIL_ = "zoe.private@example.org";
  const PHONE = "+44 7400 123456";
  const PHONE_DIGITS = "447400123456";
  const CARD = "4242 4242 4242 4242";
  const CARD_DIGITS = "4242424242424242";
  let t: TestHub<{ telegram: true }>;
  const log = (() => {
    const lines: string[] = [];
    return { lines, logger: createLogger("trace", { write: (line: string) => void lines.push(line) }) };
  })();
  const parsed = () => log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  beforeAll(async () => {
    t = await startHub({ telegram: true, overrides: { logger: log.logger } });
  });
  afterAll(() => t?.stop());

  it("shows no admin key, e-mail, phone number or card number given in a lead, a chat or a header", async () => {
    const lead = await t.request("POST", "/inquiries", {
      body: {
        source: "web_form",
        client: { name: "Zoe Private", email: EMAIL_, phone: PHONE },
        message: `Please call ${PHONE} or write to ${EMAIL_}; my card is ${CARD}`,
      },
    });
    expect(lead.status).toBe(201);
    const form = await t.request("POST", "/forms/inquiry", {
      key: null,
      body: { name: "Zoe", email: `web.${EMAIL_}`, phone: "07400 123456", message: `Card ${CARD}, ring me` },
    });
    expect(form.status).toBe(201);
    // Refused input is logged too, if at all, with what it quoted masked.
    expect(
      (await t.request("POST", "/inquiries", { body: { source: "web_form", client: { email: 42 } } })).status,
    ).toBe(400);
    expect((await t.request("GET", "/queue", { key: `${t.adminKey}x` })).status).toBe(401);

    const chat = newChatId();
    const text = `Hello, I am on ${PHONE}, ${EMAIL_}, card ${CARD_DIGITS}`;
    expect((await t.telegram.post(textUpdate({ chatId: chat, messageId: 1 }, text))).status).toBe(200);
    const contact = messageUpdate(
      { chatId: chat, messageId: 2 },
      { contact: { phone_number: PHONE_DIGITS, first_name: "Zoe", user_id: chat } },
    );
    expect((await t.telegram.post(contact)).status).toBe(200);
    expect((await t.telegram.post(callbackUpdate({ chatId: chat, messageId: 9, data: "nonsense" }))).status).toBe(200);
    await expect.poll(() => t.telegram.textsIn(chat).length, { timeout: 15_000, interval: 50 }).toBeGreaterThan(0);

    const all = log.lines.join("\n");
    for (const secret of [
      t.adminKey,
      t.adminKey.slice(4),
      EMAIL_,
      PHONE,
      PHONE_DIGITS,
      "7400123456",
      CARD,
      CARD_DIGITS,
    ])
      expect(all).not.toContain(secret);
    // The lines were there to be masked: the hub did log the webhooks and the lead at this level.
    expect(
      parsed()
        .filter((l) => l.msg === "request")
        .map((l) => l.path),
    ).toEqual(expect.arrayContaining(["/inquiries", "/forms/inquiry", "/webhooks/telegram", "/queue"]));
  });

  it("echoes a sane X-Request-Id, makes one up otherwise, and puts it on the request line and the lines logged meanwhile", async () => {
    const given = "req-7f3a.Demo_42";
    const echoed = await t.request("GET", "/health", { headers: { "X-Request-Id": given } });
    expect(echoed.headers.get("x-request-id")).toBe(given);
    expect(parsed().filter((l) => l.requestId === given)).toEqual([
      expect.objectContaining({ msg: "request", method: "GET", path: "/health", status: 200 }),
    ]);

    for (const bad of ["has spaces", "x".repeat(65), "semi;colon", "<script>"]) {
      const res = await t.request("GET", "/health", { headers: { "X-Request-Id": bad } });
      const id = res.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(parsed().find((l) => l.requestId === id)).toMatchObject({ msg: "request", status: 200 });
      expect(log.lines.join("\n")).not.toContain(bad);
    }

    // A line the web form logs while it answers carries the id of the request it answers.
    const trap = await t.request("POST", "/forms/inquiry", {
      key: null,
      headers: { "X-Request-Id": "honeypot-1" },
      body: { name: "Bot", email: "bot@example.com", message: "spam", website: "https://spam.example" },
    });
    expect(trap.headers.get("x-request-id")).toBe("honeypot-1");
    expect(parsed().filter((l) => l.requestId === "honeypot-1")).toEqual([
      expect.objectContaining({ msg: "web form honeypot filled; answered as accepted, nothing stored" }),
      expect.objectContaining({ msg: "request", path: "/forms/inquiry" }),
    ]);
    // Every request line has an id.
    for (const line of parsed().filter((l) => l.msg === "request")) expect(line.requestId).toEqual(expect.any(String));
  });
});
