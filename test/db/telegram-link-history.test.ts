// Migration 0015 rebuilds the Telegram links made before staff_telegram_links existed from the audit log, and the
// sender of every proof sent from Telegram from them: a database at 0013 with links and proofs, then migrated on.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MIGRATIONS = fileURLToPath(new URL("../../db/migrations", import.meta.url));
const BEFORE_HISTORY = "0013_manual_payment_needs_approval";

/** The migrations folder cut after `lastTag`: the database as it was then. */
function migrationsUpTo(lastTag: string): string {
  const folder = mkdtempSync(join(tmpdir(), "hub-migrations-"));
  cpSync(MIGRATIONS, folder, { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, "meta/_journal.json"), "utf8"));
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e: { tag: string }) => e.tag === lastTag) + 1);
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify(journal));
  return folder;
}

interface Migratable {
  migrate(folder: string): Promise<void>;
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

/** An empty database, not migrated: PostgreSQL beside DATABASE_URL when set, else PGlite in memory. */
async function emptyDatabase(): Promise<Migratable> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const client = await PGlite.create({ extensions: { btree_gist } });
    const db = drizzlePglite({ client });
    return {
      migrate: (migrationsFolder) => migratePglite(db, { migrationsFolder }),
      rows: async <T>(query: SQL) => ((await db.execute(query)) as unknown as { rows: T[] }).rows,
      close: () => client.close(),
    };
  }
  const name = `hub_t_links_${Math.random().toString(16).slice(2, 10)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const client = postgres(target.toString(), { max: 2, onnotice: () => {} });
  const db = drizzlePostgres({ client });
  return {
    migrate: (migrationsFolder) => migratePostgres(db, { migrationsFolder }),
    rows: async <T>(query: SQL) => [...((await db.execute(query)) as unknown as T[])],
    async close() {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

describe("migration 0015: Telegram link history from the audit log", () => {
  let d: Migratable;
  let folder: string;
  const ids = { olga: "", bob: "", pete: "", hand: "" };
  const proofs: Record<string, string> = {};

  beforeAll(async () => {
    d = await emptyDatabase();
    folder = migrationsUpTo(BEFORE_HISTORY);
    await d.migrate(folder);

    for (const [who, telegram] of [
      ["olga", "91"],
      ["bob", null],
      ["pete", "92"],
      ["hand", "94"],
    ] as const) {
      const [row] = await d.rows<{ id: string }>(
        sql`insert into users (name, role, api_key_hash, telegram_user_id) values (${who}, 'manager', ${`hash-${who}`}, ${telegram}) returning id::text`,
      );
      ids[who] = row!.id;
    }
    // Olga linked 90, then moved to 91; Bob linked 92, which Pete's code then took. Nobody audited the 94 link
    // ("hand").
    const linked = (user: string, telegram: string, at: string) =>
      d.rows(sql`insert into audit_log (at, actor_id, actor_kind, action, entity_type, entity_id, before, after)
        values (${at}::timestamptz, ${user}::uuid, 'user', 'operator.telegram_linked', 'user', ${user}, '{}'::jsonb, ${JSON.stringify({ telegram_user_id: telegram })}::jsonb)`);
    await linked(ids.olga, "90", "2026-01-01T09:00:00Z");
    await linked(ids.bob, "92", "2026-01-02T09:00:00Z");
    await linked(ids.olga, "91", "2026-01-03T09:00:00Z");
    await linked(ids.pete, "92", "2026-01-04T09:00:00Z");

    const [client] = await d.rows<{ id: string }>(sql`insert into clients (name) values ('c') returning id::text`);
    const [inquiry] = await d.rows<{
      id: string;
    }>(sql`insert into inquiries (client_id, source, request_hash, received_at, sla_deadline_minutes, sla_deadline_at, source_weight, priority)
      values (${client!.id}::uuid, 'web_form', 'h', now(), 60, now(), 1.0, 100) returning id::text`);
    const [room] = await d.rows<{ id: string }>(
      sql`insert into resources (name, capacity) values ('Room', 8) returning id::text`,
    );
    const [booking] = await d.rows<{
      id: string;
    }>(sql`insert into bookings (inquiry_id, client_id, resource_id, starts_at, ends_at, deposit_amount)
      values (${inquiry!.id}::uuid, ${client!.id}::uuid, ${room!.id}::uuid, '2027-01-01T19:00Z', '2027-01-01T21:00Z', 2500) returning id::text`);
    const [payment] = await d.rows<{
      id: string;
    }>(sql`insert into payments (booking_id, provider, provider_name, status, amount, currency)
      values (${booking!.id}::uuid, 'manual', 'manual', 'open', 25, 'GBP') returning id::text`);
    const proof = async (name: string, user: string, via: string, at: string) => {
      const [row] = await d.rows<{
        id: string;
      }>(sql`insert into payment_proofs (payment_id, uploaded_by, via, file_name, content_type, size_bytes, sha256, content, comment, created_at)
        values (${payment!.id}::uuid, ${user}::uuid, ${via}, 'p.png', 'image/png', 1, ${name}, '\\x00'::bytea, 'Transfer', ${at}::timestamptz) returning id::text`);
      proofs[name] = row!.id;
    };
    await proof("olga-old-phone", ids.olga, "telegram", "2026-01-02T12:00:00Z");
    await proof("olga-new-phone", ids.olga, "telegram", "2026-01-05T12:00:00Z");
    await proof("bob-before-pete", ids.bob, "telegram", "2026-01-03T12:00:00Z");
    await proof("pete", ids.pete, "telegram", "2026-01-04T12:00:00Z");
    await proof("bob-api", ids.bob, "api", "2026-01-05T12:00:00Z");
    await proof("hand", ids.hand, "telegram", "2026-01-05T12:00:00Z");

    await d.migrate(MIGRATIONS);
  });
  afterAll(async () => {
    await d?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it("closes each link when its staff member linked again or its Telegram account moved; keeps the current ones open", async () => {
    const links = await d.rows<{
      user_id: string;
      telegram_user_id: string;
      linked_at: string;
      unlinked_at: string | null;
    }>(sql`
      select user_id::text, telegram_user_id,
        case when linked_at > '2026-02-01' then 'migrated' else to_char(linked_at at time zone 'UTC', 'YYYY-MM-DD') end as linked_at,
        to_char(unlinked_at at time zone 'UTC', 'YYYY-MM-DD') as unlinked_at
      from staff_telegram_links order by linked_at, telegram_user_id`);
    expect(links).toEqual([
      { user_id: ids.olga, telegram_user_id: "90", linked_at: "2026-01-01", unlinked_at: "2026-01-03" },
      { user_id: ids.bob, telegram_user_id: "92", linked_at: "2026-01-02", unlinked_at: "2026-01-04" },
      { user_id: ids.olga, telegram_user_id: "91", linked_at: "2026-01-03", unlinked_at: null },
      { user_id: ids.pete, telegram_user_id: "92", linked_at: "2026-01-04", unlinked_at: null },
      // No audit entry behind it: known from the migration on (its linked_at is the migration's time).
      { user_id: ids.hand, telegram_user_id: "94", linked_at: "migrated", unlinked_at: null },
    ]);
  });

  it("names the Telegram account a proof came from: the one linked to its uploader when it came", async () => {
    const senders = Object.fromEntries(
      (
        await d.rows<{ sha256: string; sender: string | null }>(
          sql`select sha256, sender_telegram_user_id as sender from payment_proofs`,
        )
      ).map((r) => [r.sha256, r.sender]),
    );
    expect(senders).toEqual({
      "olga-old-phone": "90",
      "olga-new-phone": "91",
      "bob-before-pete": "92",
      pete: "92",
      "bob-api": null,
      // Linked by hand, with no history from before the proof: not guessed.
      hand: null,
    });
  });
});
