// A hub process killed with SIGKILL while leads pour in: no inquiry is half-written, every answered lead is stored,
// and a second process over the same database publishes every committed event and runs each effect once.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { DatabaseHandle } from "../../db/client";
import { openScratchDatabase } from "../../db/scratch";

const root = join(import.meta.dirname, "..", "..");
// One node process, as `npm start` runs it, so SIGKILL reaches the hub itself (the tsx CLI would be a second process).
const tsxLoader = import.meta.resolve("tsx");
const ADMIN_KEY = "s".repeat(40);
const CONCURRENCY = 16;
/** Killed once this many leads were answered: the rest are in flight, committed or not. */
const KILL_AFTER = 150;
const POLL = { timeout: 60_000, interval: 100 };

interface HubProcess {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<void>;
  output: () => string;
}

/** `hub/main.ts` over the scratch database, on the in-process driver (its jobs in that database too). */
function startHubProcess(databaseUrl: string): HubProcess {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !["DATABASE_URL", "REDIS_URL", "ADMIN_API_KEY", "PORT", "HUB_DATA_DIR", "HUB_ROLE"].includes(k),
    ),
  );
  const child = spawn(process.execPath, ["--import", tsxLoader, "hub/main.ts"], {
    cwd: root,
    env: {
      ...inherited,
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN_KEY,
      PORT: "0",
      LOG_LEVEL: "info",
      // A dead process's claims (the relay's batch, a running job) pass to the next one after 3 s, not 30.
      JOB_CLAIM_SECONDS: "3",
    },
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    const look = () => {
      const line = output.split("\n").find((l) => l.includes('"msg":"hub listening"'));
      if (line) resolve(JSON.parse(line).url);
    };
    child.stdout!.on("data", look);
    void exited.then(() => reject(new Error(`the hub exited before it listened:\n${output.slice(-3000)}`)));
  });
  url.catch(() => undefined);
  return { child, url, exited, output: () => output };
}

const killed = async (hub: HubProcess | undefined, signal: NodeJS.Signals) => {
  if (!hub || hub.child.exitCode !== null || hub.child.signalCode !== null) return;
  hub.child.kill(signal);
  await hub.exited;
};

// Several processes over one database need PostgreSQL (PGlite belongs to one process).
describe.runIf(process.env.DATABASE_URL)("a hub process killed with SIGKILL mid-load", () => {
  let database: DatabaseHandle | undefined;
  let first: HubProcess | undefined;
  let second: HubProcess | undefined;
  afterAll(async () => {
    await killed(first, "SIGKILL");
    await killed(second, "SIGKILL");
    await database?.close();
  });

  const count = async (query: ReturnType<typeof sql>) => Number((await database!.rows<{ n: string }>(query))[0]!.n);

  it("leaves no half-written inquiry, and a new process publishes every committed event, each effect once", async () => {
    database = await openScratchDatabase(process.env.DATABASE_URL!, { template: inject("postgresTemplate") });
    const [{ name }] = (await database.rows<{ name: string }>(sql`select current_database() as name`)) as [
      { name: string },
    ];
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;

    first = startHubProcess(url.toString());
    const hubUrl = await first.url;

    const answered: { status: number; id?: string }[] = [];
    let failed = 0;
    let sent = 0;
    const client = async () => {
      for (;;) {
        const i = ++sent;
        try {
          const res = await fetch(`${hubUrl}/inquiries`, {
            method: "POST",
            headers: { Authorization: `Bearer ${ADMIN_KEY}`, "Content-Type": "application/json" },
            body: JSON.stringify({
              source: "web_form",
              message: `lead ${i}`,
              client: { name: `Lead ${i}`, email: `sigkill-${i}@example.com` },
            }),
          });
          const body = (await res.json()) as { id?: string };
          answered.push({ status: res.status, id: body.id });
        } catch {
          // The process is gone: this request was in flight (committed or not), and this client stops.
          failed++;
          return;
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, client));
    await expect.poll(() => answered.length, POLL).toBeGreaterThanOrEqual(KILL_AFTER);
    await killed(first, "SIGKILL");
    await load;

    // Killed mid-load: requests were in flight, and every one answered before was a 201.
    expect(failed).toBe(CONCURRENCY);
    expect(new Set(answered.map((a) => a.status))).toEqual(new Set([201]));

    // No half-written inquiry: each has its client and exactly one inquiry.created event; no client without its lead.
    const inquiries = await count(sql`select count(*)::text as n from inquiries`);
    expect(inquiries).toBeGreaterThanOrEqual(answered.length);
    expect(
      await count(sql`select count(*)::text as n from inquiries i
        where not exists (select 1 from clients c where c.id = i.client_id)
           or (select count(*) from outbox_events o
               where o.type = 'inquiry.created' and o.aggregate_id = i.id::text) <> 1`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::text as n from clients c
        where not exists (select 1 from inquiries i where i.client_id = c.id)`),
    ).toBe(0);
    expect(await count(sql`select count(*)::text as n from outbox_events where type = 'inquiry.created'`)).toBe(
      inquiries,
    );
    // Every lead answered 201 is stored.
    const ids = answered.map((a) => a.id!);
    const stored = await database.rows<{ id: string }>(
      sql`select id::text from inquiries where id = any(${`{${ids.join(",")}}`}::uuid[])`,
    );
    expect(stored).toHaveLength(ids.length);
    const backlog = await count(sql`select count(*)::text as n from outbox_events where processed_at is null`);

    // A second process over the same database: the dead one's claims run out, every event is published, and each
    // lead is counted once.
    second = startHubProcess(url.toString());
    await second.url;
    const published = () => count(sql`select count(*)::text as n from outbox_events where published_at is null`);
    const counted = () => count(sql`select coalesce(sum(total_count), 0)::text as n from inquiry_metrics_daily`);
    const markers = () =>
      count(sql`select count(*)::text as n from processed_events where handler = 'metrics.count-inquiries'`);
    const unprocessed = () => count(sql`select count(*)::text as n from outbox_events where processed_at is null`);
    const report = () => `backlog at the kill: ${backlog}\n${second!.output().slice(-3000)}`;
    await expect.poll(published, { ...POLL, message: report() }).toBe(0);
    await expect.poll(unprocessed, { ...POLL, message: report() }).toBe(0);
    expect(await counted()).toBe(inquiries);
    expect(await markers()).toBe(inquiries);

    second.child.kill("SIGTERM");
    await second.exited;
    expect(second.child.exitCode).toBe(0);
  }, 150_000);
});
