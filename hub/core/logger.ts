// The one way a hub process makes its logger: an error is logged by what went wrong, never by the data it carried; a
// line written while a request is served names that request; keys, secrets and personal data are masked.
import { AsyncLocalStorage } from "node:async_hooks";
import pino, { type DestinationStream, type Logger } from "pino";
import { statementFailure } from "../../db/errors";
import { maskLine, REDACTED_PATHS } from "./log-masking";

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: { err: errorForLog },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      mixin: () => {
        const request = requests.getStore();
        return request?.open ? { requestId: request.id } : {};
      },
      hooks: {
        // The finished line, so that a value is masked wherever it sits: message, bindings, an error's stack.
        streamWrite: maskLine,
        // Given no message, pino logs the error's own one (drizzle's, with the params): it gets the safe one instead.
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          const error = first instanceof Error ? first : (first as { err?: unknown } | undefined)?.err;
          if (!(error instanceof Error) || typeof second === "string") return method.apply(this, args);
          return method.apply(this, [first, errorForLog(error).message, ...args.slice(1)] as unknown as typeof args);
        },
      },
    },
    destination,
  );
}

interface RequestScope {
  id: string;
  /** False once the response is made: a timer the request armed (a relay pass, a job poll) runs on in its scope. */
  open: boolean;
}

const requests = new AsyncLocalStorage<RequestScope>();

/** Serves one request so that every line logged meanwhile, by any part of the hub, carries its id. */
export async function servingRequest<T>(id: string, serve: () => Promise<T>): Promise<T> {
  const scope: RequestScope = { id, open: true };
  try {
    return await requests.run(scope, serve);
  } finally {
    scope.open = false;
  }
}

const MAX_CAUSES = 3;

/**
 * An error as a log line may show it. pino's own serializer prints every property and the cause chain: drizzle's
 * "Failed query: … params: …" (names, e-mails, webhook bodies) and the server's message and detail, which quote the
 * values ("Key (email)=(…)", a trigger's own words). So an error that is the database's answer to a statement is shown
 * only as its SQLSTATE, table, constraint and a fingerprint of the statement; other errors keep their message; only
 * the properties named below are kept, and a cause is shown the same way.
 */
export function errorForLog(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & Record<string, unknown>;
  const type = error.constructor.name;
  const failure = statementFailure(error);
  const message = safeMessage(error);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return {
    type,
    message,
    stack: [`${type}: ${message}`, ...frames].join("\n"),
    ...(depth === 0 ? failure : undefined),
    // HubError's kind, an errno, an HTTP status, grammY's method: what failed, not with what.
    ...pick(fields, ["kind", "code", "status", "statusCode", "method"]),
    ...(error.cause !== undefined && depth < MAX_CAUSES ? { cause: errorForLog(error.cause, depth + 1) } : {}),
  };
}

/**
 * The error's message, unless it is the database's answer to a statement: then only what failed (the statement's
 * fingerprint and SQLSTATE), since drizzle's and the server's messages quote the values. Also what a dead letter keeps.
 */
export function safeMessage(error: Error): string {
  const fields = error as Error & Record<string, unknown>;
  const refused = typeof fields.query === "string" || (typeof fields.code === "string" && SQLSTATE.test(fields.code));
  const failure = refused ? statementFailure(error) : undefined;
  return failure
    ? `the database refused ${failure.statement ?? "a statement"} (SQLSTATE ${failure.code ?? "unknown"})`
    : error.message;
}

/** Every SQLSTATE has a digit; errno names such as EPIPE have none. */
const SQLSTATE = /^(?=.*\d)[0-9A-Z]{5}$/;

function pick(fields: Record<string, unknown>, names: string[]) {
  return Object.fromEntries(
    names.filter((n) => typeof fields[n] === "string" || typeof fields[n] === "number").map((n) => [n, fields[n]]),
  );
}

/**
 * A client address as a log line may show it: the network, not the host (IPv4 /24, IPv6 /48), which is enough to see
 * a flood from one place and not enough to name a person.
 */
export function maskedIp(ip: string): string {
  const v4 = /^(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.x`;
  if (ip.includes(":")) return `${ip.split(":").slice(0, 3).join(":")}:…`;
  return "unknown";
}

/** A phone number or a chat id made of one (WhatsApp's `447911123456@c.us`): its last four digits only. */
export function maskedPhone(value: string): string {
  const digits = value.replace(/\D/g, "");
  return digits.length > 4 ? `…${digits.slice(-4)}` : "…";
}

/** A partner's webhook address without its path or query, which may carry a token. */
export function maskedUrl(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(not a URL)";
  }
}
