// Starts the real process, as `npm start` does, on the embedded default.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import postgres from "postgres";
import {
  listeningUrl,
  logLine,
  root,
  servicesSetup,
  type Started,
  startHubProcess,
  tsxLoader,
} from "../support/processes";
import { deleteRedisPrefix, freePort, testRedisUrl } from "../support/redis";

describe("the hub process", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hub-main-"));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("refuses to start with APP_TIMEZONE other than Europe/London, reporting every bad setting", async () => {
    const started = startHubProcess({ APP_TIMEZONE: "America/New_York", PORT: "nope", HUB_DATA_DIR: dataDir });
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toContain("APP_TIMEZONE: must be Europe/London");
    expect(started.stderr()).toContain("PORT:");
  });

  it("starts on the embedded default, prints a generated admin key once, keeps it, and stops cleanly", async () => {
    const first = startHubProcess({ HUB_DATA_DIR: dataDir, PORT: "0" });
    const url = await listeningUrl(first);
    // Without PUBLIC_URL, one warning names the address customers' links will use: with the port the hub got.
    expect(await logLine(first, `PUBLIC_URL is not set: booking and payment links will use ${url}`)).toMatchObject({
      level: 40,
      url,
    });
    expect(
      first
        .stdout()
        .split("\n")
        .filter((l) => l.includes("PUBLIC_URL")),
    ).toHaveLength(1);
    const key = (await readFile(join(dataDir, "admin-api-key"), "utf8")).trim();
    expect(first.stdout()).toContain(key);
    expect((await stat(join(dataDir, "admin-api-key"))).mode & 0o777).toBe(0o600);

    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const created = await fetch(`${url}/inquiries`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        source: "web_form",
        message: "from the real process",
        client: { email: "p@example.com" },
      }),
    });
    expect(created.status).toBe(201);
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    // Second start: same data folder, the key is not printed again and still works; the inquiry is still there.
    const second = startHubProcess({ HUB_DATA_DIR: dataDir, PORT: "0" });
    const url2 = await listeningUrl(second);
    expect(second.stdout()).not.toContain(key);
    const list = await fetch(`${url2}/inquiries`, { headers: { Authorization: `Bearer ${key}` } });
    expect(((await list.json()) as { items: { message: string }[] }).items.map((i) => i.message)).toContain(
      "from the real process",
    );
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 90_000);
});

describe("the data folder", () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "hub-data-"));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it("is created with its missing parents, mode 0700, when it does not exist", async () => {
    const dataDir = join(scratch, "not", "there", "yet");
    const started = startHubProcess({ HUB_DATA_DIR: dataDir, PORT: "0" });
    const url = await listeningUrl(started);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    for (const dir of [join(scratch, "not"), join(scratch, "not", "there"), dataDir]) {
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
    }
    started.child.kill("SIGTERM");
    expect(await started.exited).toBe(0);
  }, 60_000);

  it("that cannot be created stops start-up with one line naming HUB_DATA_DIR and the reason, exit code 1", async () => {
    const file = join(scratch, "a-file");
    await writeFile(file, "not a folder");
    const dataDir = join(file, "data");
    const started = startHubProcess({ HUB_DATA_DIR: dataDir, PORT: "0" });
    expect(await started.exited).toBe(1);
    expect(started.stderr()).toBe(
      `HUB_DATA_DIR: cannot create ${dataDir}: a part of the path is a file, not a folder (ENOTDIR)\n`,
    );
    expect(started.stdout()).not.toContain("at ");
  }, 60_000);
});

describe("npm run migrate", () => {
  const migrate = (env: Record<string, string>) => {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !["DATABASE_URL", "REDIS_URL", "ADMIN_API_KEY", "HUB_DATA_DIR"].includes(k),
      ),
    );
    return new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", tsxLoader, "scripts/migrate.ts"], {
        cwd: root,
        env: { ...base, ...env },
      });
      let out = "";
      child.stdout!.on("data", (d) => (out += d));
      child.stderr!.on("data", (d) => (out += d));
      child.on("exit", (code) => resolve({ code, out }));
    });
  };

  it("needs nothing on the embedded default, and creates the data folder", async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), "hub-migrate-")), "data");
    try {
      const { code, out } = await migrate({ HUB_DATA_DIR: dataDir });
      expect(out).toContain("migrations applied (pglite)");
      expect(code).toBe(0);
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    } finally {
      await rm(dirname(dataDir), { recursive: true, force: true });
    }
  }, 60_000);

  it.runIf(process.env.DATABASE_URL)(
    "needs only DATABASE_URL: no admin key",
    async () => {
      // An empty database of its own: nothing has migrated it yet.
      const name = `hub_t_migrate_${Date.now().toString(36)}`;
      const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${name}`;
      try {
        const { code, out } = await migrate({ DATABASE_URL: url.toString() });
        expect(out).toContain("migrations applied (postgres)");
        expect(code).toBe(0);
        const target = postgres(url.toString(), { max: 1 });
        const [row] =
          await target`select count(*)::int as n from information_schema.tables where table_name = 'inquiries'`;
        await target.end();
        expect(row!.n).toBe(1);
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
    60_000,
  );
});

// Services mode: an API process and a worker process over one PostgreSQL (and Redis, when the run has it).
describe.runIf(process.env.DATABASE_URL)("API and worker processes", () => {
  it("takes an inquiry in the API process and runs its event in the worker process, both stopping cleanly", async () => {
    const { database, prefix, env } = await servicesSetup();
    const api = startHubProcess({ ...env, HUB_ROLE: "api" });
    const worker = startHubProcess({ ...env, HUB_ROLE: "worker" });
    try {
      const hubUrl = await listeningUrl(api);
      expect(await logLine(worker, "worker running")).toMatchObject({
        role: "worker",
        jobs: testRedisUrl ? "bullmq" : "in-process",
      });
      const created = await fetch(`${hubUrl}/inquiries`, {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_API_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          source: "web_form",
          client: { email: "w@example.com" },
          received_at: "2025-02-02T12:00:00Z",
        }),
      });
      expect(created.status).toBe(201);
      const count = async () =>
        (
          await database.rows<{ n: number }>(
            sql`select total_count as n from inquiry_metrics_daily where date_london = '2025-02-02' and source = 'web_form'`,
          )
        )[0]?.n ?? 0;
      await expect.poll(count, { timeout: 20_000, interval: 100 }).toBe(1);
    } finally {
      api.child.kill("SIGTERM");
      worker.child.kill("SIGTERM");
      expect(await api.exited).toBe(0);
      expect(await worker.exited).toBe(0);
      await database.close();
      if (testRedisUrl) await deleteRedisPrefix(testRedisUrl, prefix);
    }
  }, 90_000);

  it("retries in another worker a job whose worker was killed with SIGKILL mid-work, with its effect once", async () => {
    const { database, prefix, env } = await servicesSetup();
    // The test holds the metrics row locked, so the worker's job is stuck mid-work, inside its transaction.
    const locker = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await locker`insert into inquiry_metrics_daily (date_london, source, total_count) values ('2025-03-03', 'web_form', 0)`;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const lockHeld = new Promise<void>((locked) => {
      void locker
        .begin(async (tx) => {
          await tx`select 1 from inquiry_metrics_daily where date_london = '2025-03-03' for update`;
          locked();
          await held;
          throw new Error("roll back: the lock was only for the test");
        })
        .catch(() => undefined);
    });
    await lockHeld;
    // A short claim (JOB_CLAIM_SECONDS, 30 s by default) so the takeover comes within seconds.
    const claimed = { ...env, JOB_CLAIM_SECONDS: "5" };
    const api = startHubProcess({ ...claimed, HUB_ROLE: "api" });
    const first = startHubProcess({ ...claimed, HUB_ROLE: "worker" });
    let second: Started | undefined;
    const count = async () =>
      (
        await database.rows<{ n: number }>(
          sql`select total_count as n from inquiry_metrics_daily where date_london = '2025-03-03' and source = 'web_form'`,
        )
      )[0]!.n;
    try {
      const hubUrl = await listeningUrl(api);
      await logLine(first, "worker running");
      const created = await fetch(`${hubUrl}/inquiries`, {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_API_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          source: "web_form",
          client: { email: "k@example.com" },
          received_at: "2025-03-03T12:00:00Z",
        }),
      });
      expect(created.status).toBe(201);
      // The first worker is now waiting on the row: its job is in flight.
      await expect
        .poll(
          async () =>
            (await database.rows<{ n: string }>(sql`select count(*)::text as n from pg_locks where not granted`))[0]!.n,
          {
            timeout: 20_000,
            interval: 100,
          },
        )
        .not.toBe("0");
      first.child.kill("SIGKILL");
      await first.exited;
      release();

      second = startHubProcess({ ...claimed, HUB_ROLE: "worker" });
      // Taken over once the dead worker's claim runs out (5 s; up to 10 s on Redis), and counted once.
      await expect.poll(count, { timeout: 60_000, interval: 200 }).toBe(1);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await count()).toBe(1);
    } finally {
      release();
      for (const p of [api, first, second])
        if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
      await Promise.all([api, second].filter(Boolean).map((p) => p!.exited));
      await locker.end();
      await database.close();
      if (testRedisUrl) await deleteRedisPrefix(testRedisUrl, prefix);
    }
  }, 150_000);

  // The API process cannot reach its queue (its Redis setting points at a port where nothing listens), so its relay
  // cannot publish what it commits; then it is killed. A survivor over the same database publishes the events.
  it.runIf(testRedisUrl)(
    "publishes from a survivor the events an API process committed but could not publish before SIGKILL",
    async () => {
      const { database, prefix, env } = await servicesSetup();
      const api = startHubProcess({ ...env, HUB_ROLE: "api", REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
      let survivor: Started | undefined;
      const count = async () =>
        (
          await database.rows<{ n: number }>(
            sql`select total_count as n from inquiry_metrics_daily where date_london = '2025-04-04' and source = 'web_form'`,
          )
        )[0]?.n ?? 0;
      try {
        const hubUrl = await listeningUrl(api);
        for (const email of ["a@example.com", "b@example.com"]) {
          const created = await fetch(`${hubUrl}/inquiries`, {
            method: "POST",
            headers: { Authorization: `Bearer ${env.ADMIN_API_KEY}`, "Content-Type": "application/json" },
            body: JSON.stringify({ source: "web_form", client: { email }, received_at: "2025-04-04T12:00:00Z" }),
          });
          expect(created.status).toBe(201);
        }
        // Its relay tried and failed: both events are committed, unpublished, with the reason.
        await expect
          .poll(
            async () =>
              (
                await database.rows<{ n: string }>(
                  sql`select count(*)::text as n from outbox_events where published_at is null and last_error is not null`,
                )
              )[0]!.n,
            { timeout: 20_000, interval: 100 },
          )
          .toBe("2")
          .catch((e) => {
            throw new Error(`${e}\n${api.stdout()}\n${api.stderr()}`);
          });
        api.child.kill("SIGKILL");
        await api.exited;

        survivor = startHubProcess({ ...env, HUB_ROLE: "worker" });
        await expect.poll(count, { timeout: 30_000, interval: 200 }).toBe(2);
        // The relay marks an event published after handing it over, so its worker may count it a moment before.
        const outbox = async () =>
          (
            await database.rows<{ unpublished: string; markers: string }>(sql`select
          (select count(*) from outbox_events where published_at is null)::text as unpublished,
          (select count(*) from processed_events where handler = 'metrics.count-inquiries')::text as markers`)
          )[0];
        await expect.poll(outbox, { timeout: 10_000, interval: 100 }).toEqual({ unpublished: "0", markers: "2" });
      } finally {
        if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill("SIGKILL");
        if (survivor) {
          survivor.child.kill("SIGTERM");
          expect(await survivor.exited).toBe(0);
        }
        await database.close();
        await deleteRedisPrefix(testRedisUrl!, prefix);
      }
    },
    90_000,
  );
});
