// Hub processes as `npm start` runs them, for tests of what only separate processes show: start-up, roles, kills.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openScratchDatabase } from "../../db/scratch";
import { newRedisPrefix, testRedisUrl } from "./redis";

export const root = join(import.meta.dirname, "..", "..");
// One node process, as `npm start` runs it: a signal reaches the hub itself (the tsx CLI would be a second process).
export const tsxLoader = import.meta.resolve("tsx");

export interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** A hub process (`node --import tsx hub/main.ts`) with these settings over the test run's own, minus the hub's. */
export function startHubProcess(env: Record<string, string>): Started {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !["DATABASE_URL", "REDIS_URL", "ADMIN_API_KEY", "APP_TIMEZONE", "PORT", "HUB_DATA_DIR", "HUB_ROLE"].includes(k),
    ),
  );
  const child = spawn(process.execPath, ["--import", tsxLoader, "hub/main.ts"], {
    cwd: root,
    env: { ...base, LOG_LEVEL: "info", ...env },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function logLine(started: Started, message: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const line = started
      .stdout()
      .split("\n")
      .find((l) => l.includes(`"msg":"${message}"`));
    if (line) return JSON.parse(line);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${message}" log line:\n${started.stdout()}\n${started.stderr()}`);
}

export async function listeningUrl(started: Started): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const line = started
      .stdout()
      .split("\n")
      .find((l) => l.includes('"hub listening"'));
    if (line) return JSON.parse(line).url;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`hub did not start:\n${started.stdout()}\n${started.stderr()}`);
}

/** A scratch PostgreSQL database (and a Redis prefix, when the run has Redis) and the settings that point at them. */
export async function servicesSetup() {
  const database = await openScratchDatabase(process.env.DATABASE_URL!);
  const prefix = newRedisPrefix();
  const [{ name }] = (await database.rows<{ name: string }>(sql`select current_database() as name`)) as [
    { name: string },
  ];
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    ADMIN_API_KEY: "k".repeat(40),
    PORT: "0",
    ...(testRedisUrl ? { REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix } : {}),
  };
  return { database, prefix, env };
}
