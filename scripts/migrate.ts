// `npm run migrate`: applies the committed migrations to the configured database without starting the hub.
// It needs DATABASE_URL only (nothing at all on the embedded default): applying migrations needs no admin key.
import { join } from "node:path";
import { openDatabase } from "../db/client";
import { ensureDataDir } from "../hub/bootstrap/data-dir";
import { orExit } from "../hub/bootstrap/exit-on-startup-error";
import { loadEnv } from "../hub/env";

const env = await orExit(() => loadEnv({}, { adminKey: "unused" }));
if (!env.DATABASE_URL) await orExit(() => ensureDataDir(env.HUB_DATA_DIR));
const database = await openDatabase(
  env.DATABASE_URL
    ? { driver: "postgres", url: env.DATABASE_URL }
    : { driver: "pglite", dataDir: join(env.HUB_DATA_DIR, "pglite") },
);
await database.migrate();
await database.close();
console.log(`migrations applied (${database.driver})`);
