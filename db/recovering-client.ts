// A postgres-js client that replaces its pool after losing the database, so that no query waits for ever on it.
import postgres, { type Options, type Sql } from "postgres";
import { isDatabaseUnavailable } from "./errors";

/**
 * postgres-js retries a connection's first query for as long as the server refuses it at start-up (FATAL
 * "database is not accepting connections", "the database system is starting up"), so a query can wait with
 * no error until the database returns, and a request with it. After a connection-level error this client opens
 * a fresh pool, ends the old one (its stuck queries fail with CONNECTION_DESTROYED: a 503, not a hang), and
 * does so again each interval until the database answers.
 */
export interface RecoveringClient {
  /** Stable for drizzle: every call goes to the pool in use at that moment. */
  readonly sql: Sql;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 1_000;
const RECOVERY_INTERVAL_MS = 1_000;
/** Queries still running on a healthy connection of the old pool get this long to finish. */
const DRAIN_SECONDS = 1;

export function recoveringClient(
  url: string,
  options: Options<Record<string, postgres.PostgresType>>,
): RecoveringClient {
  const first = postgres(url, options);
  let current: Sql = first;
  let closed = false;
  let recovering = false;

  const fresh = () => {
    const next = postgres(url, options);
    // drizzle sets its parsers on the first pool's options when it is built; later pools must read values alike.
    Object.assign(next.options.parsers, first.options.parsers);
    Object.assign(next.options.serializers, first.options.serializers);
    return next;
  };

  async function recover() {
    if (recovering || closed) return;
    recovering = true;
    try {
      while (!closed) {
        const stale = current;
        current = fresh();
        void stale.end({ timeout: DRAIN_SECONDS }).catch(() => undefined);
        if (await answers(current)) return;
        await new Promise((resolve) => setTimeout(resolve, RECOVERY_INTERVAL_MS));
      }
    } finally {
      recovering = false;
    }
  }

  const noted = (error: unknown) => {
    if (isDatabaseUnavailable(error)) void recover();
  };

  const sql = new Proxy(first, {
    apply: (_target, thisArg, args) => Reflect.apply(current, thisArg, args),
    get(_target, property) {
      const value = Reflect.get(current, property, current) as unknown;
      if (property === "unsafe") {
        return (...args: Parameters<Sql["unsafe"]>) => watched(current.unsafe(...args), noted);
      }
      if (property === "begin") {
        return (...args: unknown[]) =>
          (current.begin as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
            noted(error);
            throw error;
          });
      }
      return typeof value === "function" ? value.bind(current) : value;
    },
  }) as Sql;

  return {
    sql,
    async close() {
      closed = true;
      await current.end({ timeout: 5 });
    },
  };
}

/** True when the pool answers a trivial query within the probe's time. */
async function answers(client: Sql): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, PROBE_TIMEOUT_MS, false)));
  const probe = client`select 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The query as it was (drizzle chains `.values()` on it before awaiting), but its failure is seen on the way out.
 * postgres-js runs a query when it is first awaited, so nothing here may call `then` early.
 */
function watched<T extends object>(query: T, noted: (error: unknown) => void): T {
  const proxy: T = new Proxy(query, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== "function") return value;
      if (property === "then") {
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
          value.call(target, onFulfilled, (error: unknown) => {
            noted(error);
            if (onRejected) return onRejected(error);
            throw error;
          });
      }
      return (...args: unknown[]) => {
        const result = value.apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}
