// Redis for tests: each test file keeps its keys under a prefix of its own and deletes them when it ends.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { Redis } from "ioredis";

export const testRedisUrl = process.env.REDIS_URL;

export const newRedisPrefix = () => `hub-test-${randomBytes(5).toString("hex")}`;

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
}

/**
 * A loopback port nothing listens on, chosen below the kernel's ephemeral range: a port from `listen(0)` is an
 * ephemeral one, and between its release and a redis-server's bind any outgoing connection (four test files hold
 * many) may take it as its local port, so the server could not bind and exited unseen (seen once in CI).
 */
export async function freePort(): Promise<number> {
  const [ephemeralLow] = ephemeralRange();
  for (;;) {
    const port = 10_000 + Math.floor(Math.random() * (ephemeralLow - 10_000));
    if (await canListen(port)) return port;
  }
}

function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low && high && low > 12_000) return [low, high];
  } catch {
    // not Linux: the IANA range
  }
  return [49_152, 65_535];
}

const canListen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

/**
 * A redis-server of this test's own on a spare loopback port, keeping nothing on disk. Resolves once that server
 * says it is ready (a PING could reach another server on the port); rejects with its output when it exits first or
 * is not ready within 15 s.
 */
export function startRedisServer(port: number, args: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let output = "";
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`redis-server on port ${port} ${why}:\n${output.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail("was not ready within 15 s"), 15_000);
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (!/Ready to accept connections/.test(output)) return;
      clearTimeout(timer);
      child.off("exit", exited);
      resolve(child);
    };
    const exited = (code: number | null) => fail(`exited (code ${code}) before it was ready`);
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    child.once("exit", exited);
  });
}

export const stopRedisServer = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
