// `npm run bench:census`: every statement the hub sends to PostgreSQL for N intakes and all their follow-up work,
// grouped by text, per intake. It turns on `log_statement = all` for a scratch database only and reads the server's
// log (it must run on the machine that writes it: POSTGRES_LOG, default Debian's path). The figure the hot-path fixes
// in docs/BENCHMARKS.md are measured by, besides the rates: statements and transactions per intake.
import { open, readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { generateApiKey } from "../../hub/auth/api-keys";
import { startHub } from "./children";
import { DEFAULT_POSTGRES_URL, scratchDatabase, staffKey, untilDrained } from "./database";
import { whatsAppLead } from "./lead";

const { values: args } = parseArgs({
  options: {
    leads: { type: "string", default: "100" },
    connections: { type: "string", default: "4" },
    top: { type: "string", default: "40" },
  },
});
const leads = Number(args.leads);
const connections = Number(args.connections);
const LOG = process.env.POSTGRES_LOG ?? "/var/log/postgresql/postgresql-15-main.log";
const adminKey = generateApiKey();

const database = await scratchDatabase(process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL);
const name = new URL(database.url).pathname.slice(1);
if (!process.env.NO_LOG) await database.handle.rows(sql.raw(`alter database ${name} set log_statement = 'all'`));
const hub = await startHub({ DATABASE_URL: database.url, ADMIN_API_KEY: adminKey });
let counted: Map<string, number>;
let hubCpuMs = 0;
try {
  const operatorKey = await staffKey(hub.url, adminKey, "operator");
  // Start reading the log after set-up: only the intakes and their follow-up work are counted.
  await untilDrained(database.handle, Date.now());
  const from = (await stat(LOG)).size;
  const cpuBefore = await cpuMs(hub.process.pid!);
  let next = 0;
  const post = async () => {
    for (let n = next++; n < leads; n = next++) {
      const response = await fetch(`${hub.url}/inquiries`, {
        method: "POST",
        headers: { Authorization: `Bearer ${operatorKey}`, "Content-Type": "application/json" },
        body: JSON.stringify(whatsAppLead(90_000_000 + n)),
      });
      if (response.status !== 201) throw new Error(`POST /inquiries answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, post));
  await untilDrained(database.handle, Date.now());
  hubCpuMs = (await cpuMs(hub.process.pid!)) - cpuBefore;
  await new Promise((resolve) => setTimeout(resolve, 500)); // the log is written asynchronously
  counted = await statementsSince(from, name);
} finally {
  await hub.stop();
  await database.close();
}

const total = [...counted.values()].reduce((a, b) => a + b, 0);
const rows = [...counted].sort((a, b) => b[1] - a[1]).slice(0, Number(args.top));
for (const [text, count] of rows) console.log(`${(count / leads).toFixed(2).padStart(6)}  ${text.slice(0, 150)}`);
const begins = counted.get("begin") ?? 0;
console.log(`\n${(total / leads).toFixed(1)} statements and ${(begins / leads).toFixed(1)} transactions per intake`);
console.log(`${(hubCpuMs / leads).toFixed(2)} ms of the hub process's CPU time per intake`);
console.log(`(${leads} intakes at ${connections} connections, every follow-up event handled)`);

/** User and system CPU time a process has used, from /proc/<pid>/stat (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The log's statements for database `name` written after byte `from`, by text with literals and parameters out. */
async function statementsSince(from: number, name: string): Promise<Map<string, number>> {
  const file = await open(LOG);
  const size = (await file.stat()).size;
  const buffer = Buffer.alloc(size - from);
  await file.read(buffer, 0, buffer.length, from);
  await file.close();
  const counts = new Map<string, number>();
  // An entry starts with the line prefix (`%m [%p] %q%u@%d `); a statement's own line breaks continue it.
  const entries = buffer.toString("utf8").split(/\n(?=\d{4}-\d\d-\d\d )/);
  const marker = `@${name} LOG:  `;
  for (const entry of entries) {
    const at = entry.indexOf(marker);
    if (at < 0) continue;
    const body = entry.slice(at + marker.length);
    const statement = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(body)?.[1];
    if (statement === undefined) continue;
    const text = statement
      .replace(/\s+/g, " ")
      .replace(/'[^']*'/g, "'…'")
      .replace(/\$\d+/g, "$n")
      // A multi-row insert or an IN list is one statement whatever its length.
      .replace(
        /\((?:\$n|default|now\(\))(?:, (?:\$n|default|now\(\)))*\)(?:, \((?:\$n|default|now\(\))(?:, (?:\$n|default|now\(\)))*\))*/g,
        "(…)",
      )
      .trim()
      .toLowerCase();
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  return counts;
}
