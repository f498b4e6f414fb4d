// The hub's one context: what every service may reach, built once in the composition root (hub/composition.ts).
// A service takes only the part it uses, as Pick<HubContext, ...>, so a test hands it exactly that.
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import { hasWrittenEvents } from "./events/outbox";
import type { JobDriver } from "./jobs/driver";
import type { Observer } from "./observe";

export interface HubContext {
  db: Database;
  /** The clock: tests set it, so nothing reads the time another way. */
  now: () => Date;
  jobs: JobDriver;
  logger: Logger;
  /** The outbox relay's wake-up: events a commit wrote are published at once, not at the next poll. */
  wake: () => void;
  /** Counts and timings for whoever watches the hub (GET /metrics); a no-op where no one does. */
  observe: Observer;
}

export type Transaction = Parameters<Parameters<HubContext["db"]["transaction"]>[0]>[0];

/**
 * Runs the work in one transaction and, once it commits, wakes the relay if the work wrote events, so that they go
 * out at once. A rollback (the work threw) wakes nothing, nor does a transaction that wrote no event: each wake costs
 * the relay a claim, and most subscribers' transactions write none.
 */
export async function inTransaction<T>(
  ctx: Pick<HubContext, "db" | "wake">,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  let used: Transaction | undefined;
  const result = await ctx.db.transaction((tx) => {
    used = tx;
    return work(tx);
  });
  if (used && hasWrittenEvents(used)) ctx.wake();
  return result;
}
