import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { INQUIRY_STATUSES } from "../../db/schema";
import { OPEN_STATUSES } from "../../hub/pipeline/ingest-inquiry";
import { openTestDatabase } from "../support/database";

describe("database schema (the user's hard rules, enforced by PostgreSQL itself)", () => {
  let handle: DatabaseHandle;
  let clientId: string;

  beforeAll(async () => {
    handle = await openTestDatabase();
    [{ id: clientId }] = (await handle.rows<{ id: string }>(
      sql`insert into clients (name) values ('c') returning id::text`,
    )) as [{ id: string }];
  });
  afterAll(() => handle.close());

  const enumValues = async (name: string) =>
    (
      await handle.rows<{ v: string }>(
        sql`select e.enumlabel as v from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = ${name} order by e.enumsortorder`,
      )
    ).map((r) => r.v);

  const fails = async (statement: string) => {
    try {
      await handle.rows(sql.raw(statement));
    } catch (error) {
      return String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    }
    throw new Error(`expected to fail: ${statement}`);
  };

  const insertInquiry = (columns: string, values: string) =>
    `insert into inquiries (client_id, request_hash, received_at, sla_deadline_minutes, sla_deadline_at, source_weight, priority, ${columns})
     values ('${clientId}', 'h', now(), 60, now(), 1.0, 100, ${values})`;

  it("keeps one open inquiry per chat for exactly the statuses the pipeline calls open", async () => {
    // The index's condition is SQL in the schema; the pipeline's OPEN_STATUSES must name the same statuses.
    const [index] = await handle.rows<{ def: string }>(
      sql`select indexdef as def from pg_indexes where indexname = 'inquiries_open_chat_key'`,
    );
    const inIndex = INQUIRY_STATUSES.filter((status) => index!.def.includes(`'${status}'`));
    expect(inIndex).toEqual([...OPEN_STATUSES]);
  });

  it("has exactly the five sources and the three payment providers", async () => {
    expect(await enumValues("inquiry_source")).toEqual(["web_form", "whatsapp", "telegram", "phone", "partner"]);
    expect(await enumValues("payment_provider")).toEqual(["stripe", "secondary", "manual"]);
  });

  it("refuses an inquiry without a source or with any other source", async () => {
    expect(await fails(insertInquiry("message", "'x'"))).toMatch(/null value in column "source"/);
    expect(await fails(insertInquiry("source", "'unknown'"))).toMatch(/invalid input value for enum inquiry_source/);
  });

  it("ties partner leads to an existing partner, and only partner leads", async () => {
    expect(await fails(insertInquiry("source", "'partner'"))).toMatch(/inquiries_partner_code_check/);
    expect(await fails(insertInquiry("source, partner_code", "'partner', 'ghost'"))).toMatch(/foreign key/);
    await handle.rows(sql`insert into partners (code, name) values ('real-one', 'Real')`);
    await handle.rows(sql.raw(insertInquiry("source, partner_code", "'partner', 'real-one'")));
    expect(await fails(insertInquiry("source, partner_code", "'web_form', 'real-one'"))).toMatch(
      /inquiries_partner_code_check/,
    );
  });

  it("requires chat ids for chat leads and keeps (source, external_message_id) unique", async () => {
    expect(await fails(insertInquiry("source, external_chat_id", "'telegram', '1'"))).toMatch(
      /inquiries_chat_ids_check/,
    );
    await handle.rows(
      sql.raw(insertInquiry("source, external_chat_id, external_message_id", "'telegram', '1', 'dup'")),
    );
    expect(
      await fails(insertInquiry("source, external_chat_id, external_message_id", "'telegram', '2', 'dup'")),
    ).toMatch(/inquiries_source_external_message_id_key/);
    await handle.rows(
      sql.raw(insertInquiry("source, external_chat_id, external_message_id", "'whatsapp', '1', 'dup'")),
    );
  });

  it("requires duration, call result and operator on phone leads", async () => {
    expect(await fails(insertInquiry("source, duration_seconds, call_result", "'phone', 10, 'no_answer'"))).toMatch(
      /inquiries_phone_call_check/,
    );
  });

  it("records a phone lead as answered: the call is its first response", async () => {
    const [operator] = await handle.rows<{ id: string }>(
      sql`insert into users (name, role, api_key_hash) values ('Olga', 'operator', 'hash-of-olga') returning id::text`,
    );
    const phone = `'phone', 10, 'no_answer', '${operator!.id}'`;
    expect(await fails(insertInquiry("source, duration_seconds, call_result, operator_id", phone))).toMatch(
      /inquiries_phone_first_response_check/,
    );
    await handle.rows(
      sql.raw(
        insertInquiry("source, duration_seconds, call_result, operator_id, first_response_at", `${phone}, now()`),
      ),
    );
  });

  it("keeps the audit log append-only", async () => {
    await handle.rows(
      sql`insert into audit_log (actor_kind, action, entity_type, entity_id) values ('system', 'test', 'thing', '1')`,
    );
    expect(await fails(`update audit_log set action = 'changed'`)).toMatch(/append-only: UPDATE/);
    expect(await fails(`delete from audit_log`)).toMatch(/append-only: DELETE/);
    expect(await fails(`truncate audit_log`)).toMatch(/append-only: TRUNCATE/);
    const [row] = await handle.rows<{ n: string }>(
      sql`select count(*)::text as n from audit_log where action = 'test'`,
    );
    expect(row!.n).toBe("1");
  });

  it("keeps one open Telegram link per staff member and per Telegram account, and every closed one", async () => {
    const [a, b] = await handle.rows<{ id: string }>(
      sql`insert into users (name, role, api_key_hash) values ('Ann', 'manager', 'hash-of-ann'), ('Ben', 'manager', 'hash-of-ben') returning id::text`,
    );
    await handle.rows(
      sql`insert into staff_telegram_links (user_id, telegram_user_id, unlinked_at) values (${a!.id}, '801', now())`,
    );
    await handle.rows(
      sql`insert into staff_telegram_links (user_id, telegram_user_id) values (${a!.id}, '802'), (${b!.id}, '801')`,
    );
    expect(
      await fails(`insert into staff_telegram_links (user_id, telegram_user_id) values ('${a!.id}', '803')`),
    ).toMatch(/staff_telegram_links_open_user_key/);
    expect(
      await fails(`insert into staff_telegram_links (user_id, telegram_user_id) values ('${a!.id}', '801')`),
    ).toMatch(/staff_telegram_links_open_(user|telegram)_key/);
    // Only a notice about the staff member's own account has no inquiry.
    expect(
      await fails(
        `insert into staff_notices (user_id, kind, chat_id, body) values ('${a!.id}', 'new_inquiry', '802', 'x')`,
      ),
    ).toMatch(/staff_notices_inquiry_check/);
    await handle.rows(
      sql`insert into staff_notices (user_id, kind, chat_id, body) values (${a!.id}, 'telegram_relinked', '802', 'x')`,
    );
  });

  it("indexes daily metrics on (date_london, source)", async () => {
    const indexes = await handle.rows<{ indexdef: string }>(
      sql`select indexdef from pg_indexes where tablename = 'inquiry_metrics_daily'`,
    );
    expect(indexes.map((i) => i.indexdef).join("\n")).toMatch(/\(date_london, source\)/);
  });

  it("stores instants as timestamptz", async () => {
    const [row] = await handle.rows<{ n: string }>(
      sql`select count(*)::text as n from information_schema.columns
          where table_schema = 'public' and data_type = 'timestamp without time zone'`,
    );
    expect(row!.n).toBe("0");
  });
});
