// createLogger: a database error is logged by its SQLSTATE, table, constraint and statement, never by the values.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { clientIdentities, clients } from "../../db/schema";
import { describeError } from "../../hub/core/jobs/driver";
import { createLogger, maskedIp, maskedPhone, maskedUrl } from "../../hub/core/logger";
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
