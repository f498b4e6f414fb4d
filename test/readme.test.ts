// The README's "Try it" block, run as printed against a real hub process on the embedded default.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function run(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }) {
  const child = spawn(command, args, options);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe("README", () => {
  let workdir: string;
  let hub: ReturnType<typeof run>;
  let port: number;

  beforeAll(async () => {
    // As a newcomer runs it: nothing configured, so the data folder is ./data under the working directory,
    // where the block then reads data/admin-api-key.
    workdir = await mkdtemp(join(tmpdir(), "hub-readme-"));
    const env = {
      ...process.env,
      PORT: "0",
      HUB_DATA_DIR: undefined,
      DATABASE_URL: undefined,
      // Nor Redis: on the suite's Redis pass it would share the default key prefix, and with it the web form's rate
      // limit counters, with every earlier run of this test.
      REDIS_URL: undefined,
      REDIS_PREFIX: undefined,
      ADMIN_API_KEY: undefined,
    };
    hub = run(process.execPath, ["--import", import.meta.resolve("tsx"), join(root, "hub", "main.ts")], {
      cwd: workdir,
      env,
    });
    for (let i = 0; i < 600 && !port; i++) {
      const line = hub
        .stdout()
        .split("\n")
        .find((l) => l.includes('"hub listening"'));
      if (line) port = Number(new URL(JSON.parse(line).url).port);
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (!port) throw new Error(`hub did not start: ${hub.stderr()}`);
  }, 60_000);

  afterAll(async () => {
    hub.child.kill("SIGTERM");
    await hub.exited;
    await rm(workdir, { recursive: true, force: true });
  });

  it("runs the Try-it block as printed, every request answered as the comments say", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const block = /## Try it[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    // Only the port differs from the printed text: the test's hub listens on a free one.
    const script = `set -euo pipefail\n${block!.replace("http://127.0.0.1:3000", `http://127.0.0.1:${port}`)}`;
    const shell = run("bash", ["-c", script], { cwd: workdir, env: process.env });
    const code = await shell.exited;
    expect(shell.stderr()).toBe("");
    expect(code).toBe(0);
    const out = shell.stdout();
    expect(out).toContain('"code":"thames-tours"');
    expect(out).toMatch(/HTTP\/1\.1 200 OK[\s\S]*idempotent-replayed: true/i);
    expect(out).toContain('"source":"whatsapp"');
    expect(out).toContain('"call_result":"callback_requested"');
    expect(out).toContain('"partner_code":"thames-tours"');
    expect(out).toMatch(
      /"provider":"manual","provider_name":"manual","provider_payment_id":null,"type":"deposit","status":"open","amount":5000/,
    );
    expect(out).toMatch(/"reference":"INQ-\d+","sla_deadline_at":"[^"]+[+-]0[01]:00"/);
    expect(out).toContain("must be one of web_form, whatsapp, telegram, phone, partner");
    expect(out).toContain('"source":"web_form","deadline_minutes":45');
    expect(out).toMatch(/"items":\[\{"id":"[0-9a-f-]{36}","reference":"INQ-\d+"[^\]]*"queue_score":/);
    expect(out).toMatch(/"status":"in_progress","client_id"[\s\S]*?"assignee_id":"[0-9a-f-]{36}"/);
    expect(out).toContain('"kind":"call","note":"Confirmed twelve guests for Saturday"');
    expect(out).toContain("there is no chat to answer in. Contact the client by e-mail at guest@example.com");
    expect(out).toMatch(/"resource_name":"River Room","start_at":"2027-12-18T19:00:00\.000\+00:00"/);
    expect(out).toMatch(
      /"status":"held"[\s\S]*"via":"link","message_id":null,"booking_url":"http:\/\/127\.0\.0\.1:[1-9]\d*\/b\/[A-Za-z0-9_-]{43}"/,
    );
    // The WhatsApp number and the form's phone are one client.
    const clientOf = (source: string) =>
      new RegExp(`"source":"${source}","status":"new","client_id":"([0-9a-f-]{36})"`).exec(out)?.[1];
    expect(clientOf("whatsapp")).toBeDefined();
    expect(clientOf("whatsapp")).toBe(clientOf("web_form"));
    expect(clientOf("phone")).not.toBe(clientOf("web_form"));
  }, 60_000);
});
