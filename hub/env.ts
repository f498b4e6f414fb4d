// Configuration: the only reader of process.env. Every bad setting is reported at once.
import { resolve } from "node:path";
import { z } from "zod";
import { APP_TIME_ZONE, isAppTimeZone } from "./time";

export const HUB_ROLES = ["all", "api", "worker"] as const;
export type HubRole = (typeof HUB_ROLES)[number];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// An empty variable (`FOO=` in a .env file) means "not set", as most tools read it.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const EnvSchema = z
  .object({
    PORT: optional(z.coerce.number({ error: "must be a port number from 0 to 65535" }).int().min(0).max(65_535))
      .transform((v) => v ?? 3000),
    HOST: optional(z.string()).transform((v) => v ?? "127.0.0.1"),
    DATABASE_URL: optional(
      z.string().regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// connection URL"),
    ),
    REDIS_URL: optional(z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")),
    REDIS_PREFIX: optional(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'")).transform(
      (v) => v ?? "hub",
    ),
    // Absolute from here on: PGlite does not resolve a relative data folder against the working directory.
    HUB_DATA_DIR: optional(z.string()).transform((v) => resolve(v ?? "./data")),
    ADMIN_API_KEY: optional(z.string().min(24, "must be at least 24 characters; generate one with `openssl rand -hex 32`")),
    APP_TIMEZONE: optional(
      z.string().refine(isAppTimeZone, `must be ${APP_TIME_ZONE}: the hub keeps every date in London time`),
    ),
    // all: API and workers in one process (npm start); api: HTTP and the outbox relay; worker: relay and job workers.
    HUB_ROLE: optional(z.enum(HUB_ROLES, { error: `must be one of ${HUB_ROLES.join(", ")}` })).transform((v) => v ?? "all"),
    LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })).transform(
      (v) => v ?? "info",
    ),
  });

export type Env = z.output<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses a set of variables; throws EnvError listing every problem, each naming its variable. */
export function parseEnv(variables: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(variables);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  // Checked on the raw variables so that it is reported together with every other problem.
  if (variables.DATABASE_URL && !variables.ADMIN_API_KEY) {
    problems.push("ADMIN_API_KEY: is required when DATABASE_URL is set (it is generated only on the embedded default)");
  }
  // PGlite belongs to one process, so an API process and a worker process cannot share it.
  if (!variables.DATABASE_URL && (variables.HUB_ROLE === "api" || variables.HUB_ROLE === "worker")) {
    problems.push(`HUB_ROLE: ${variables.HUB_ROLE} needs DATABASE_URL (the embedded PGlite database serves one process only)`);
  }
  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return result.data;
}

/** The process's settings; `overrides` lets a script supply what it makes itself (a benchmark's own admin key). */
export function loadEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({ ...process.env, ...overrides });
}
