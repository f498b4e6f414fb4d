// A fresh, migrated database for one test file: a PGlite copy by default, a new PostgreSQL database when DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";

export const onPostgres = Boolean(process.env.DATABASE_URL);

export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dump = await readFile(inject("pgliteDump"));
    return openDatabase({ driver: "pglite", loadDataDir: new Blob([dump]) });
  }
  // A database of its own per test file: no test sees another's rows, and the migrations run for real each time.
  const name = `hub_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const handle = await openDatabase({ driver: "postgres", url: target.toString() });
  await handle.migrate();
  return {
    ...handle,
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
