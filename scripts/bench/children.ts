// The benchmark's child processes: the hub as `npm start` runs it, the bare-INSERT baseline, and the load generator.
// Each runs in a process of its own so that no figure is flattered by sharing a process with its load.
import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE_TSX = ["--import", "tsx"];

export interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  /** The last lines it wrote, shown when it dies or misbehaves. */
  tail(): string;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment a child gets: ours without the settings that would change what is measured. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["REDIS_URL", "HUB_ROLE", "DATABASE_URL", "PORT", "HOST", "HUB_DATA_DIR", "ADMIN_API_KEY"])
    delete env[name];
  return { ...env, ...extra };
}

/** Keeps a child's last lines and gives it a stop() (SIGTERM, then SIGKILL after 15 s). */
export function track(child: ChildProcess, url: string, group: boolean): Child {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    // `npm start` runs the hub under npm and a shell: the whole group it leads is ours to stop.
    if (group) process.kill(-child.pid, name);
    else child.kill(name);
  };
  return {
    process: child,
    url,
    tail: () => lines.join("\n"),
    async stop() {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The heap limit `npm start` gives node (package.json): HUB_MAX_HEAP_MB, 384 MB unless set. */
const HEAP_FLAG = `--max-old-space-size=${process.env.HUB_MAX_HEAP_MB ?? 384}`;

/** `node --max-old-space-size=… --import tsx hub/main.ts`, exactly what `npm start` runs, on the given database. */
export async function startHub(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  // BENCH_HUB_NODE_ARGS: node's own flags for the hub, to profile it (`--cpu-prof --cpu-prof-dir=…`).
  const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [HEAP_FLAG, ...nodeArgs, ...NODE_TSX, "hub/main.ts"], {
    cwd: ROOT,
    env: childEnv({ LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const hub = track(child, `http://127.0.0.1:${port}`, false);
  await untilReady(hub, 120_000);
  return hub;
}

/** `npm start` itself (npm, then node), for the start-up figure; resolves once it is spawned. */
export async function spawnNpmStart(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: childEnv({ LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), ...env }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  return track(child, `http://127.0.0.1:${port}`, true);
}

/** The bare-INSERT baseline (bare-insert.ts) on the given PostgreSQL database. */
export async function startBare(databaseUrl: string): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_TSX, "scripts/bench/bare-insert.ts"], {
    cwd: ROOT,
    env: childEnv({ DATABASE_URL: databaseUrl, PORT: String(port) }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const bare = track(child, `http://127.0.0.1:${port}`, false);
  await untilReady(bare, 60_000);
  return bare;
}

/** Polls GET /health/ready until 200; throws with the child's last lines if it exits or the time runs out. */
export async function untilReady(child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null)
      throw new Error(`child exited before it was ready:\n${child.tail()}`);
    try {
      const response = await fetch(`${child.url}/health/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await child.stop();
  throw new Error(`child not ready after ${timeoutMs} ms:\n${child.tail()}`);
}

/** Resident memory of a process in MB, from /proc/<pid>/status (VmRSS; VmHWM is its peak). */
export async function residentMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export interface LoadSpec {
  url: string;
  connections: number;
  /** Seconds, unless `amount` is given. */
  seconds?: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  headers?: Record<string, string>;
  /** WhatsApp-shaped bodies numbered from `first` upward (distinct chat and message per request). */
  first: number;
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  rate: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Date.now() in the load process when the last response came back. */
  finishedAt: number;
}

/** Runs autocannon in its own process (load.ts) and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return runJsonChild<LoadResult>("scripts/bench/load.ts", spec, "load generator");
}

/** A load script in a process of its own: it takes its spec as JSON and prints its result as JSON. */
export function runJsonChild<T>(script: string, spec: unknown, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_TSX, script, JSON.stringify(spec)], {
      cwd: ROOT,
      env: childEnv({}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`${what} exited ${code}: ${err}`));
      resolve(JSON.parse(out) as T);
    });
  });
}
