// A fresh, migrated database for one test file: a PGlite copy by default, a new PostgreSQL database when DATABASE_URL
// is set.
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { openScratchDatabase } from "../../db/scratch";

export async function openTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  // A database of its own per test file: no test sees another's rows. Each is a copy of one migrated in global setup;
  // the migration tests run the migrations themselves.
  if (url) return openScratchDatabase(url, { template: inject("postgresTemplate") });
  const dump = await readFile(inject("pgliteDump"));
  return openDatabase({ driver: "pglite", loadDataDir: new Blob([dump]) });
}
