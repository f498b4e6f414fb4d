// What the figures were measured on: the machine, the versions, the command. Written beside them in BENCHMARKS.md.
import { readFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { ROOT } from "./children";

const PACKAGES = ["hono", "@hono/node-server", "drizzle-orm", "postgres", "@electric-sql/pglite", "tsx", "autocannon"];

export async function describeMachine(postgresUrl: string): Promise<string[]> {
  const client = postgres(postgresUrl, { max: 1, onnotice: () => {} });
  let server: string;
  try {
    const [row] = await client<{ version: string }[]>`select version()`;
    server = row!.version;
  } finally {
    await client.end();
  }
  const versions = await Promise.all(
    PACKAGES.map(async (name) => {
      const manifest = JSON.parse(await readFile(join(ROOT, "node_modules", name, "package.json"), "utf8")) as {
        version: string;
      };
      return `${name} ${manifest.version}`;
    }),
  );
  const cores = cpus();
  return [
    `- Machine: ${cores.length} cores (${cores[0]?.model.trim() ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `- Node ${process.version}; ${server}`,
    `- Packages: ${versions.join(", ")}`,
  ];
}
