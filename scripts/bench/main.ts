// `npm run bench`: the hub measured from outside its process (docs/BENCHMARKS.md says how to run each scenario).
// The hub, the bare-INSERT baseline and autocannon each run in a child process; this one only starts them, reads
// the database and writes the table. It exits 0 when a target is missed: it measures, it does not test.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateApiKey } from "../../hub/auth/api-keys";
import { ROOT } from "./children";
import { DEFAULT_POSTGRES_URL } from "./database";
import { type BenchContext, type Figure, table } from "./figures";
import { describeMachine } from "./machine";
import { embeddedStartScenario } from "./scenarios/embedded-start";
import { intakeScenario } from "./scenarios/intake";
import { latencyScenario } from "./scenarios/latency";
import { memoryScenario } from "./scenarios/memory";
import { apiRoleScenario } from "./scenarios/api-role";
import { duplicateStormScenario } from "./scenarios/duplicates";
import { failoverScenario } from "./scenarios/failover";
import { rebuildScenario, reportScenario } from "./scenarios/reports";
import { watchdogScenario } from "./scenarios/watchdog";

/** The markers around the latest run's section in docs/BENCHMARKS.md. */
const START = "<!-- bench:latest-run:start -->";
const END = "<!-- bench:latest-run:end -->";
const SCENARIOS = [
  "intake",
  "api-role",
  "latency",
  "memory",
  "duplicates",
  "failover",
  "watchdog",
  "start",
  "reports",
] as const;
type Scenario = (typeof SCENARIOS)[number];
/** Memory posts 100,000 inquiries (minutes): only when asked for. */
const FAST: Scenario[] = ["intake", "latency", "start", "reports"];

const argv = process.argv.slice(2);
const { values: args } = parseArgs({
  args: argv,
  options: {
    seconds: { type: "string", default: "10" },
    "rebuild-rows": { type: "string", default: "100000" },
    note: { type: "string" },
    all: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    intake: { type: "boolean", default: false },
    latency: { type: "boolean", default: false },
    memory: { type: "boolean", default: false },
    start: { type: "boolean", default: false },
    reports: { type: "boolean", default: false },
    "api-role": { type: "boolean", default: false },
    duplicates: { type: "boolean", default: false },
    failover: { type: "boolean", default: false },
    watchdog: { type: "boolean", default: false },
  },
});
const asked = SCENARIOS.filter((name) => args[name]);
const chosen: Scenario[] = args.all ? [...SCENARIOS] : asked.length > 0 ? asked : FAST;
const positive = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench: --${name} must be a whole number above 0, not "${text}"`);
    process.exit(1);
  }
  return value;
};
const seconds = positive("seconds", args.seconds);
const rebuildRows = positive("rebuild-rows", args["rebuild-rows"]);

const figures: Figure[] = [];
const context: BenchContext = {
  postgresUrl: process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL,
  seconds,
  adminKey: generateApiKey(),
  figures,
  log: (line) => console.error(`[bench] ${line}`),
};
const runs: Record<Scenario, () => Promise<void>> = {
  intake: () => intakeScenario(context),
  latency: () => latencyScenario(context),
  "api-role": () => apiRoleScenario(context),
  memory: () => memoryScenario(context),
  duplicates: () => duplicateStormScenario(context),
  failover: () => failoverScenario(context),
  watchdog: () => watchdogScenario(context),
  start: () => embeddedStartScenario(context),
  reports: async () => {
    await reportScenario(context);
    await rebuildScenario(context, rebuildRows);
  },
};
const failed: string[] = [];
for (const name of chosen) {
  try {
    await runs[name]();
  } catch (error) {
    // One scenario that cannot run says so and the others still run.
    context.log(`${name} failed: ${(error as Error).stack ?? error}`);
    failed.push(name);
    figures.push({
      figure: `${name}: could not run`,
      measured: (error as Error).message.split("\n")[0]!,
      against: "—",
      verdict: "MISS",
    });
  }
}

const result = table(figures);
console.log(`\n${result}\n`);
const misses = figures.filter((f) => f.verdict === "MISS");
console.log(misses.length === 0 ? "Every target met." : `MISS: ${misses.length} figure(s) missed their target.`);

if (!args["no-write"]) {
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.map(quote).join(" ")}` : ""}`;
  const postgresHost = new URL(context.postgresUrl).host;
  const section = [
    START,
    `Run of ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC: \`${command}\``,
    "",
    ...(args.note ? [`**${args.note}.**`, ""] : []),
    ...(await describeMachine(context.postgresUrl)),
    `- PostgreSQL at ${postgresHost}; scenarios: ${chosen.join(", ")}; ${seconds} s per measured load phase`,
    "",
    result,
    "",
    misses.length === 0 ? "Every target met." : `**MISS**: ${misses.map((m) => m.figure).join("; ")}.`,
    END,
  ].join("\n");
  const file = join(ROOT, "docs", "BENCHMARKS.md");
  const current = await readFile(file, "utf8").catch(() => undefined);
  // Only the run's own section is replaced: the text around it (how to run, before-and-after of fixes) is kept.
  const updated =
    current?.includes(START) && current.includes(END)
      ? current.slice(0, current.indexOf(START)) + section + current.slice(current.indexOf(END) + END.length)
      : `# Benchmarks\n\n## Latest run\n\n${section}\n`;
  await writeFile(file, updated);
  console.log(`Written to docs/BENCHMARKS.md`);
}

function quote(arg: string) {
  return /^[\w./=:-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
