// `npm run bench`: intake throughput against a bare single-row INSERT endpoint measured in the same run.
// Target (issue 2): POST /inquiries sustains at least half the bare endpoint's rate. Exits 1 when it does not.
// Options: --seconds N (per phase, default 10), --concurrency N (default 16). DATABASE_URL selects PostgreSQL.
import type { ServerType } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { openScratchDatabase } from "../../db/scratch";
import { generateApiKey } from "../../hub/auth/api-keys";
import { createHub } from "../../hub/composition";
import { loadEnv } from "../../hub/env";
import { createLogger } from "../../hub/core/logger";
import { serveHub } from "../../hub/http/serve";

const TARGET_RATIO = 0.5;
const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    // Measures the intake path without job workers in the process (role api: HTTP and the outbox relay only).
    "no-workers": { type: "boolean", default: false },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);

const adminKey = generateApiKey();
const env = loadEnv({ ADMIN_API_KEY: adminKey });
const database: DatabaseHandle = env.DATABASE_URL
  ? await openScratchDatabase(env.DATABASE_URL, { prefix: "hub_bench" })
  : await openDatabase({ driver: "pglite" });
// Workers and relay run in the process as they do under `npm start`: their cost is part of the intake's.
const hub = await createHub({
  env,
  logger: createLogger("warn"),
  database,
  adminApiKey: adminKey,
  role: args["no-workers"] ? "api" : "all",
});
await hub.start();

// The baseline: what one HTTP request and one INSERT cost on this machine, with nothing else.
await database.rows(
  sql`create table bench_bare (id uuid primary key default gen_random_uuid(), body jsonb not null, created_at timestamptz not null default now())`,
);
const bare = new Hono().post("/bare", async (c) => {
  const body = await c.req.json();
  const [row] = await database.rows<{ id: string }>(
    sql`insert into bench_bare (body) values (${JSON.stringify(body)}::jsonb) returning id`,
  );
  return c.json(row, 201);
});

const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
  new Promise<{ server: ServerType; url: string }>((resolve) => {
    const server = serveHub(fetch, { port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
const hubServer = await listen(hub.app.fetch);
const bareServer = await listen(bare.fetch);

const operator = (await (
  await fetch(`${hubServer.url}/operators`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "bench", role: "operator" }),
  })
).json()) as { api_key: string };

let sequence = 0;
/** A web-form lead; a thousand callers come back again and again, as real customers do. */
const lead = () => {
  const n = sequence++;
  return {
    source: "web_form",
    message: `Table for ${(n % 8) + 1}, please`,
    client: { name: `Guest ${n % 1000}`, phone: `+4479112${String(n % 1000).padStart(5, "0")}` },
    requested_start_at: "2026-12-24T19:30",
    party_size: (n % 8) + 1,
    idempotency_key: `bench-${n}`,
  };
};

async function phase(name: string, url: string, headers: Record<string, string>) {
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(lead()) });
        await response.arrayBuffer();
        if (response.status !== 201) failures++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  const cpu = process.cpuUsage(cpuBefore);
  // This process serves and loads at once; near 100 % it is bound by its own CPU, not by the database.
  const cpuPercent = ((cpu.user + cpu.system) / 1000 / (seconds * 1000)) * 100;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const rate = latencies.length / seconds;
  console.log(
    `${name.padEnd(22)} ${rate.toFixed(0).padStart(6)} req/s   p50 ${at(0.5).padStart(6)} ms   p99 ${at(0.99).padStart(6)} ms   node CPU ${cpuPercent.toFixed(0).padStart(3)} %   non-201: ${failures}`,
  );
  if (failures > 0) throw new Error(`${name}: ${failures} requests did not answer 201`);
  return rate;
}

const json = { "Content-Type": "application/json" };
const intakeHeaders = { ...json, Authorization: `Bearer ${operator.api_key}` };
console.log(`database: ${database.driver}; ${seconds} s per phase; ${concurrency} concurrent clients`);
await phase("warm-up (intake)", `${hubServer.url}/inquiries`, intakeHeaders);
const bareBefore = await phase("bare INSERT endpoint", `${bareServer.url}/bare`, json);
const intake = await phase("POST /inquiries", `${hubServer.url}/inquiries`, intakeHeaders);
const bareAfter = await phase("bare INSERT (again)", `${bareServer.url}/bare`, json);
const baseline = Math.max(bareBefore, bareAfter);
const ratio = intake / baseline;
console.log(`intake / bare = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO})`);

hubServer.server.close();
bareServer.server.close();
await hub.stop();
if (ratio < TARGET_RATIO) {
  console.error(
    `FAIL: intake runs at ${(ratio * 100).toFixed(0)}% of the bare INSERT endpoint; the target is ${TARGET_RATIO * 100}%`,
  );
  process.exit(1);
}
