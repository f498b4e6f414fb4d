// `npm run demo` as a newcomer runs it: one process, no account, no database or Redis to set up. It walks every step,
// leaves the hub up with a console to sign in to, and stops cleanly on Ctrl-C.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STEPS } from "../../scripts/demo/walk";

const root = join(import.meta.dirname, "..", "..");
const LAST_LINE = "Press Ctrl-C to stop";

describe("npm run demo", () => {
  let dataDir: string;
  let demo: ReturnType<typeof spawn>;
  let stdout = "";
  let stderr = "";
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hub-demo-test-"));
    // The suite's DATABASE_URL and REDIS_URL stay in the environment: the demo must not use them.
    demo = spawn(process.execPath, ["--import", "tsx", "scripts/demo/main.ts", "--data-dir", dataDir], {
      cwd: root,
      env: { ...process.env, PORT: "0" },
    });
    demo.stdout!.on("data", (d) => (stdout += d));
    demo.stderr!.on("data", (d) => (stderr += d));
    exited = new Promise((resolve) => demo.on("exit", resolve));
  });
  afterAll(async () => {
    if (demo.exitCode === null) demo.kill("SIGKILL");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it("walks every step, then names the console and a key that signs in to it", async () => {
    await expect
      .poll(() => stdout.includes(LAST_LINE) || demo.exitCode !== null, { timeout: 90_000, interval: 100 })
      .toBe(true);
    expect(stderr).toBe("");
    expect(stdout).toContain(LAST_LINE);
    expect(stdout).not.toContain("The demo stopped");

    // Every step, in order, each with what the hub did.
    const positions = STEPS.map((step) => stdout.indexOf(`. ${step}: `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).toContain(`on an embedded database in ${dataDir}`);
    expect(stdout).toMatch(/Ann's Telegram chat received: “Thank you for your message\. Your reference is INQ-\d+/);
    expect(stdout).toContain("Ann's Telegram chat received: “Hello Ann, yes: we have the Garden Room for you.");
    expect(stdout).toMatch(/Ann's Telegram chat received: “We can offer you Garden Room/);
    expect(stdout).toMatch(/attempt #1 is on Stripe \(cs_test_/);
    expect(stdout).toContain("opened attempt #2 on the secondary provider, revolut (fallback: true)");
    expect(stdout).toMatch(/answers 303, Location: https:\/\/checkout\.revolut\.com\/payment-link\//);
    expect(stdout).toMatch(/Attempt #3 is manual/);
    expect(stdout).toContain("Max approves it: the payment is paid.");
    expect(stdout).toMatch(
      /Ann's Telegram chat received: “Thank you: we have received your deposit of £25\.00\. BKG-\d+ is confirmed/,
    );
    expect(stdout).toMatch(/\d{4}-\d{2}-\d{2} telegram: 1 inquiry, 1 converted \(rate 1\), revenue £25\.00/);

    const url = /Console: +(http:\/\/127\.0\.0\.1:\d+)\/console/.exec(stdout)?.[1];
    const key = /Sign in with this staff key \(the admin's\): (hub_\S+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(key).toBeDefined();
    const page = await fetch(`${url}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const me = await fetch(`${url}/queue`, { headers: { Authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);

    // The hub's log is in the data folder: each request with its id, and not one key, e-mail or phone number.
    const log = await readFile(join(dataDir, "hub.log"), "utf8");
    expect(log).toMatch(/"requestId":"[0-9a-f-]{36}","method":"POST","path":"\/webhooks\/telegram","status":200/);
    expect(log).not.toContain(key);
  }, 120_000);

  it("stops cleanly on Ctrl-C", async () => {
    demo.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 30_000);
});
