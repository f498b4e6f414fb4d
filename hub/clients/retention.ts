// RETENTION_MONTHS: a client with no inquiry, message or booking for that many months is erased, as if they had asked.
// One run erases every such client, each in a transaction of its own, and reports how many (a log line and an audit
// entry). A client with something still in flight is skipped and named in the log; the next day's run tries again.
import { sql } from "drizzle-orm";
import { bookings, clients, inquiries, messages } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import type { HubContext } from "../core/context";
import { addMonths, atLondon, formatLondon, londonDate } from "../core/time";
import { ClientBusyError, eraseClient } from "./erase";
import { notErased } from "./erasure-record";

export type RetentionDeps = Pick<HubContext, "db" | "wake" | "now" | "logger"> & { retentionMonths: number };

export interface RetentionReport {
  /** The London date of the run. */
  date: string;
  months: number;
  /** Activity before this instant is too old: the start of the London day `months` before the run's. */
  cutoff: Date;
  erased: number;
  skipped: number;
}

/** The start of the London day `months` calendar months before `now`'s. */
export const retentionCutoff = (now: Date, months: number) => atLondon(addMonths(londonDate(now), -months), "00:00");

/** Clients not yet erased with nothing since the cutoff: no inquiry received, no message either way, no booking. */
export async function idleClients(db: HubContext["db"], cutoff: Date): Promise<string[]> {
  const since = cutoff.toISOString();
  const rows = await db
    .select({ id: clients.id })
    .from(clients)
    .where(sql`${clients.createdAt} < ${since}::timestamptz
      and ${notErased(clients.id)}
      and not exists (
        select 1 from ${inquiries} where ${inquiries.clientId} = ${clients.id}
          and (${inquiries.receivedAt} >= ${since}::timestamptz or ${inquiries.createdAt} >= ${since}::timestamptz))
      and not exists (
        select 1 from ${messages} join ${inquiries} on ${inquiries.id} = ${messages.inquiryId}
        where ${inquiries.clientId} = ${clients.id} and ${messages.sentAt} >= ${since}::timestamptz)
      and not exists (
        select 1 from ${bookings} where ${bookings.clientId} = ${clients.id}
          and (${bookings.endsAt} >= ${since}::timestamptz or ${bookings.createdAt} >= ${since}::timestamptz))`)
    .orderBy(clients.createdAt);
  return rows.map((r) => r.id);
}

export async function runRetention(deps: RetentionDeps): Promise<RetentionReport> {
  const now = deps.now();
  const months = deps.retentionMonths;
  const cutoff = retentionCutoff(now, months);
  let erased = 0;
  let skipped = 0;
  for (const clientId of await idleClients(deps.db, cutoff)) {
    try {
      const outcome = await eraseClient(deps, { clientId, actorId: null, cause: "retention" });
      if (!outcome.alreadyErased) erased++;
    } catch (error) {
      // Anything else (the database away) fails the run: the job is retried, and the clients erased so far stay so.
      if (!(error instanceof ClientBusyError)) throw error;
      skipped++;
      deps.logger.warn({ clientId, reasons: error.reasons }, "retention: a client idle too long is not erased yet");
    }
  }
  const report = { date: londonDate(now), months, cutoff, erased, skipped };
  await recordAudit(deps.db, {
    actorId: null,
    action: "clients.retention_run",
    entityType: "retention",
    entityId: report.date,
    after: { months, cutoff: formatLondon(cutoff), erased, skipped },
  });
  deps.logger.info(
    { erased, skipped, months, cutoff: formatLondon(cutoff) },
    `retention: erased ${erased} client(s) with no inquiry, message or booking since ${formatLondon(cutoff)}`,
  );
  return report;
}
