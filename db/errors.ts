// Reading PostgreSQL's SQLSTATE from an error, whichever driver raised it and however drizzle wrapped it.
import { createHash } from "node:crypto";

export const PG = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  checkViolation: "23514",
  exclusionViolation: "23P01",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
} as const;

/**
 * A transaction PostgreSQL aborted to break a deadlock (40P01) or a serialization conflict (40001): nothing of it was
 * kept, and run again it may well succeed.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PG.serializationFailure || code === PG.deadlockDetected;
}

export function pgErrorCode(error: unknown): string | undefined {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

// Connection-level trouble, as opposed to a statement the database refused: the request may well succeed later.
const UNAVAILABLE_STATES = new Set(["53300", "57P01", "57P02", "57P03", "55000"]);
const UNAVAILABLE_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "EAI_AGAIN",
  // postgres-js's own names for a connection that closed, was ended, or never answered.
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True when the database could not be reached or refused the connection (not the statement): a refused
 * connection (`ECONNREFUSED`), a dropped one, too many clients (53300), a shutdown or restart (57P0x), a
 * database not accepting connections (55000, raised only at connection time as FATAL), or any class 08 state.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const { code, severity } = e as { code?: unknown; severity?: unknown };
    if (typeof code !== "string") continue;
    if (UNAVAILABLE_ERRNOS.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) {
      if (code.startsWith("08")) return true;
      if (code === "55000") return severity === "FATAL";
      return UNAVAILABLE_STATES.has(code);
    }
  }
  return false;
}

/** What may be logged of a statement the database refused: the SQLSTATE and the names it gave, never the values. */
export interface StatementFailure {
  code?: string;
  table?: string;
  constraint?: string;
  column?: string;
  /** The statement's verb and first table, and a hash of its text: `insert audit_log #3fa2b1c0`. */
  statement?: string;
}

/**
 * The failure's facts from anywhere in the cause chain (drizzle's wrapper holds the query, the driver's error the
 * rest).
 */
export function statementFailure(error: unknown): StatementFailure | undefined {
  const found: StatementFailure = {};
  for (
    let e: unknown = error, depth = 0;
    e && typeof e === "object" && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    // postgres-js names them table_name…, PGlite table…; postgres-js keeps `query` non-enumerable, but it is there.
    const fields = e as Record<string, unknown>;
    found.code ??= pgErrorCode(e);
    found.table ??= nonEmpty(fields.table ?? fields.table_name);
    found.constraint ??= nonEmpty(fields.constraint ?? fields.constraint_name);
    found.column ??= nonEmpty(fields.column ?? fields.column_name);
    found.statement ??= typeof fields.query === "string" ? statementFingerprint(fields.query) : undefined;
  }
  if (!found.code && !found.statement) return undefined;
  return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
}

const nonEmpty = (value: unknown) => (typeof value === "string" && value ? value : undefined);

export function statementFingerprint(query: string): string {
  const verb = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase();
  const table = /\b(?:into|update|from)\s+"?([\w.]+)"?/i.exec(query)?.[1];
  const hash = createHash("sha256").update(query).digest("hex").slice(0, 8);
  return [verb, table, `#${hash}`].filter(Boolean).join(" ");
}
