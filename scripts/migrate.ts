// `npm run migrate`: applies the committed migrations to the configured database without starting the hub.
import { join } from "node:path";
import { openDatabase } from "../db/client";
import { EnvError, loadEnv } from "../hub/env";

try {
  const env = loadEnv();
  const database = await openDatabase(
    env.DATABASE_URL ? { driver: "postgres", url: env.DATABASE_URL } : { driver: "pglite", dataDir: join(env.HUB_DATA_DIR, "pglite") },
  );
  await database.migrate();
  await database.close();
  console.log(`migrations applied (${database.driver})`);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(error.message);
  process.exit(1);
}
