// A hub child on a scratch PostgreSQL database with in-process jobs, as `npm start` runs it, for one scenario.
import { type Child, startHub } from "../children";
import { type Scratch, scratchDatabase, staffKey } from "../database";
import type { BenchContext } from "../figures";

export interface PostgresHub {
  hub: Child;
  database: Scratch;
  /** An operator's key for POST /inquiries. */
  operatorKey: string;
}

/** `env`: settings of the scenario's own (outside services, timeouts) on top of the database and the admin key. */
export async function withPostgresHub<T>(
  context: BenchContext,
  run: (setup: PostgresHub) => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const database = await scratchDatabase(context.postgresUrl);
  try {
    const hub = await startHub({ ...env, DATABASE_URL: database.url, ADMIN_API_KEY: context.adminKey });
    try {
      const operatorKey = await staffKey(hub.url, context.adminKey, "operator");
      return await run({ hub, database, operatorKey });
    } finally {
      await hub.stop();
    }
  } finally {
    await database.close();
  }
}
