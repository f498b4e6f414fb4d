// Opens the database: PostgreSQL through postgres-js when a URL is given, else PGlite in a data folder (or memory).
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { sql, type SQL } from "drizzle-orm";
import { fileURLToPath } from "node:url";
import { recoveringClient } from "./recovering-client";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The drizzle API both drivers share; code above db/ sees only this. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle, or the database itself where no transaction is needed. */
export type Executor = Parameters<Parameters<Database["transaction"]>[0]>[0] | Database;

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: "postgres" | "pglite";
  /** Applies the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Runs raw SQL and returns its rows, the same shape on both drivers. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { driver: "postgres"; url: string; maxConnections?: number }
  /** `loadDataDir`: start from a dumped data folder (tests start from one migrated copy). */
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));
/** Any constant works; it only has to be the same in every hub process. */
const MIGRATION_LOCK_KEY = 7_406_202_611;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.driver === "postgres"
    ? openPostgres(options.url, options.maxConnections)
    : openPglite(options.dataDir, options.loadDataDir);
}

function openPostgres(url: string, maxConnections = 10): DatabaseHandle {
  const { sql: client, close } = recoveringClient(url, {
    max: maxConnections,
    // Migrations' "already exists, skipping" notices are not worth a log line each.
    onnotice: () => {},
    // postgres-js waits up to 20 s before reconnecting after repeated failures, so a database back from an outage
    // would keep answering 503 that long; a second at most, jittered, lets the hub recover as soon as it can.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 1),
    // An unreachable host answers 503 after this, not after postgres-js's 30 s default.
    connect_timeout: 10,
  });
  const db = drizzlePostgres({ client: preparedStatements(client), schema }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    async migrate() {
      // The session-level advisory lock serialises hub processes that start together.
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres({ client }), { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.catch(() => undefined);
        lock.release();
      }
    },
    async rows<T extends Record<string, unknown>>(query: SQL) {
      return [...((await db.execute(query)) as unknown as T[])];
    },
    close,
  };
}

/**
 * drizzle runs every query through postgres-js `unsafe()` unprepared (drizzle-orm#6096), and postgres-js then asks the
 * server for the parameter types before each one: two round trips per statement. This makes postgres-js prepare
 * them, once per statement text and connection, inside transactions too. Migrations use the plain client: their
 * files hold several commands per statement, which a prepared statement cannot.
 */
function preparedStatements<T extends object>(sql: T): T {
  const driver = sql as unknown as PostgresDriver;
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe") {
        return (query: string, args?: unknown[], options?: object) =>
          driver.unsafe(query, args, { ...options, prepare: true });
      }
      if (property === "begin") {
        return (...args: unknown[]) => {
          const body = args.pop() as (tx: object) => unknown;
          return driver.begin(...args, (tx: object) => body(preparedStatements(tx)));
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

/** The two postgres-js calls drizzle makes that preparedStatements() changes. */
interface PostgresDriver {
  unsafe(query: string, args?: unknown[], options?: object): unknown;
  begin(...args: unknown[]): unknown;
}

async function openPglite(dataDir?: string, loadDataDir?: Blob): Promise<DatabaseHandle> {
  // btree_gist: the bookings' exclusion constraint needs it (PostgreSQL ships it; PGlite loads it here).
  const client = await PGlite.create({ dataDir, loadDataDir, extensions: { btree_gist } });
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    // One PGlite instance belongs to one process, so there is nobody to race.
    migrate: () => migratePglite(drizzlePglite({ client }), { migrationsFolder }),
    async rows<T extends Record<string, unknown>>(query: SQL) {
      return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
    },
    close: () => client.close(),
  };
}

/** True once the database answers a query. */
export async function ping(handle: DatabaseHandle): Promise<boolean> {
  try {
    await handle.rows(sql`select 1 as ok`);
    return true;
  } catch {
    return false;
  }
}
