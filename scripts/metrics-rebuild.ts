// `npm run metrics:rebuild [-- --from YYYY-MM-DD --to YYYY-MM-DD]`: recomputes inquiry_metrics_daily for those London
// dates (by default the whole history) from inquiries, paid payments, refunds and no-shows, in one transaction.
import { join } from "node:path";
import { openDatabase } from "../db/client";
import { orExit } from "../hub/bootstrap/exit-on-startup-error";
import { loadEnv } from "../hub/env";
import { historyRange, rebuildArgs, rebuildMetrics } from "../hub/metrics";

let asked: { from?: string; to?: string };
try {
  asked = rebuildArgs(process.argv.slice(2));
} catch (error) {
  console.error(`metrics:rebuild: ${(error as Error).message}`);
  process.exit(1);
}
const env = await orExit(() => loadEnv({}, { adminKey: "unused" }));
const database = await openDatabase(
  env.DATABASE_URL
    ? { driver: "postgres", url: env.DATABASE_URL }
    : { driver: "pglite", dataDir: join(env.HUB_DATA_DIR, "pglite") },
);
try {
  const history = asked.from && asked.to ? undefined : await historyRange(database.db, new Date());
  const range = { from: asked.from ?? history!.from, to: asked.to ?? history!.to };
  if (range.from > range.to) throw new Error(`--from ${range.from} is after ${range.to}`);
  const { rows } = await rebuildMetrics(database.db, range);
  console.log(`metrics rebuilt from ${range.from} to ${range.to} (London dates): ${rows} rows (${database.driver})`);
} catch (error) {
  console.error(`metrics:rebuild failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
