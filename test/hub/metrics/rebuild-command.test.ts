// `npm run metrics:rebuild`: London dates checked before anything opens (a bad one is a clear message and exit 1),
// then a rebuild of the range on the embedded database.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("npm run metrics:rebuild", () => {
  let dataDir: string;
  // The embedded default in a folder of its own, never a configured database.
  const env = () => {
    const { DATABASE_URL: _, REDIS_URL: __, ...rest } = process.env;
    return { ...rest, HUB_DATA_DIR: dataDir };
  };
  const rebuild = (...args: string[]) =>
    run("node", ["--import", "tsx", "scripts/metrics-rebuild.ts", ...args], { env: env() }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "metrics-rebuild-"));
    await run("node", ["--import", "tsx", "scripts/migrate.ts"], { env: env() });
  }, 120_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each([
    [["--from", "2027-02-30", "--to", "2027-03-01"], '--from: "2027-02-30" is not a date'],
    [["--from", "2027-03-01", "--to", "1 March"], '--to: "1 March" is not a date'],
    [["--from", "2027-03-05", "--to", "2027-03-01"], "--from: 2027-03-05 is after --to 2027-03-01"],
    [["--since", "2027-03-01"], "Unknown option '--since'"],
  ])(
    "refuses %j with a message and exit code 1",
    async (args, message) => {
      const result = await rebuild(...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(message);
    },
    60_000,
  );

  it("rebuilds a range of London dates", async () => {
    const result = await rebuild("--from", "2027-03-27", "--to", "2027-03-29");
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain("metrics rebuilt from 2027-03-27 to 2027-03-29 (London dates): 0 rows (pglite)");
  }, 60_000);
});
