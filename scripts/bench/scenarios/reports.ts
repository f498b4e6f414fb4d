// (e) Reports: GET /reports/daily over one year of metrics rows (p50 of 50 calls), and `metrics:rebuild` over N
// generated inquiries, timed from spawning the script to its exit.
import { spawn } from "node:child_process";
import { sql } from "drizzle-orm";
import { childEnv, ROOT } from "../children";
import { scratchDatabase, staffKey } from "../database";
import { type BenchContext, ms, seconds, verdict } from "../figures";
import { withPostgresHub } from "./postgres-hub";

const REPORT_CALLS = 50;
const REPORT_TARGET_MS = 20;
const REBUILD_TARGET_ROWS = 1_000_000;
const REBUILD_TARGET_SECONDS = 60;

export async function reportScenario(context: BenchContext): Promise<void> {
  await withPostgresHub(context, async ({ hub, database }) => {
    // A year of days (366 with today, the report's most) for every source.
    await database.handle.rows(sql`
      insert into inquiry_metrics_daily (date_london, source, total_count, converted_count, revenue)
      select day::date, source, 20 + (random() * 40)::int, (random() * 10)::int, (random() * 200000)::bigint
      from generate_series((now() at time zone 'Europe/London')::date - 365,
                           (now() at time zone 'Europe/London')::date, interval '1 day') as day,
           unnest(enum_range(null::inquiry_source)) as source`);
    const [range] = await database.handle.rows<{ from: string; to: string }>(sql`
      select ((now() at time zone 'Europe/London')::date - 365)::text as from,
             (now() at time zone 'Europe/London')::date::text as to`);
    const managerKey = await staffKey(hub.url, context.adminKey, "manager");
    const call = async () => {
      const started = performance.now();
      const response = await fetch(`${hub.url}/reports/daily?from=${range!.from}&to=${range!.to}`, {
        headers: { Authorization: `Bearer ${managerKey}` },
      });
      const body = (await response.json()) as { items?: unknown[] };
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`GET /reports/daily answered ${response.status}`);
      if (body.items?.length !== 366 * 5) throw new Error(`GET /reports/daily gave ${body.items?.length} items`);
      return elapsed;
    };
    context.log(`reports: GET /reports/daily over one year, ${REPORT_CALLS} calls one after another`);
    for (let i = 0; i < 5; i++) await call();
    const times: number[] = [];
    for (let i = 0; i < REPORT_CALLS; i++) times.push(await call());
    times.sort((a, b) => a - b);
    const p50 = times[Math.floor(times.length / 2)]!;
    context.figures.push({
      figure: `reports: GET /reports/daily, one year, p50 of ${REPORT_CALLS}`,
      measured: `${ms(p50)} (max ${ms(times.at(-1)!)})`,
      against: `≤ ${REPORT_TARGET_MS} ms`,
      verdict: verdict(p50 <= REPORT_TARGET_MS),
    });
  });
}

export async function rebuildScenario(context: BenchContext, inquiries: number): Promise<void> {
  const database = await scratchDatabase(context.postgresUrl);
  try {
    // The same script over an empty history: its fixed cost (process start, tsx, connecting), kept out of the scaling.
    context.log("rebuild: metrics:rebuild over an empty history (its fixed cost)");
    const fixed = await timeRebuild(database.url);
    context.log(`rebuild: generating ${inquiries.toLocaleString("en-GB")} inquiries over the past year`);
    const [client] = await database.handle.rows<{ id: string }>(
      sql`insert into clients (name) values ('bench') returning id`,
    );
    // Closed web-form, WhatsApp and Telegram leads spread over 365 days; no payments.
    await database.handle.rows(sql`
      insert into inquiries (source, status, client_id, message, external_chat_id, external_message_id, request_hash,
                             received_at, sla_deadline_minutes, sla_deadline_at, source_weight, priority)
      select (array['web_form', 'whatsapp', 'telegram'])[1 + i % 3]::inquiry_source, 'closed', ${client!.id},
             'bench', case when i % 3 = 0 then null else 'bench-chat-' || i end,
             case when i % 3 = 0 then null else 'bench-message-' || i end, 'bench', at, 15,
             at + interval '15 minutes', 1.00, 0
      from generate_series(1, ${inquiries}::int) as i,
           lateral (select now() - (i % 365) * interval '1 day' - (i % 1440) * interval '1 minute' as at) as spread`);
    context.log("rebuild: metrics:rebuild over the whole history");
    const elapsed = await timeRebuild(database.url);
    const [counted] = await database.handle.rows<{ total: number }>(
      sql`select coalesce(sum(total_count), 0)::int as total from inquiry_metrics_daily`,
    );
    if (counted!.total !== inquiries) throw new Error(`metrics:rebuild counted ${counted!.total} of ${inquiries}`);
    const extrapolated = fixed + ((elapsed - fixed) * REBUILD_TARGET_ROWS) / inquiries;
    const measuredAtTarget = inquiries >= REBUILD_TARGET_ROWS;
    context.figures.push(
      {
        figure: `rebuild: metrics:rebuild over ${inquiries.toLocaleString("en-GB")} inquiries (process start included)`,
        measured: `${seconds(elapsed)} (${seconds(fixed)} of it with no rows)`,
        against: "reported",
        verdict: "reported",
      },
      {
        figure: measuredAtTarget
          ? `rebuild: ${inquiries.toLocaleString("en-GB")} inquiries (≥ 1,000,000), measured`
          : `rebuild: 1,000,000 inquiries, EXTRAPOLATED (not measured): fixed cost + per-row part × ${(REBUILD_TARGET_ROWS / inquiries).toLocaleString("en-GB")}`,
        measured: seconds(measuredAtTarget ? elapsed : extrapolated),
        against: `≤ ${REBUILD_TARGET_SECONDS} s`,
        verdict: verdict((measuredAtTarget ? elapsed : extrapolated) <= REBUILD_TARGET_SECONDS),
      },
    );
  } finally {
    await database.close();
  }
}

/** Seconds from spawning `metrics:rebuild` (as its npm script runs it) to its exit. */
async function timeRebuild(databaseUrl: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/metrics-rebuild.ts"], {
      cwd: ROOT,
      env: childEnv({ DATABASE_URL: databaseUrl }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`metrics:rebuild exited ${code}: ${err}`)),
    );
  });
  return (performance.now() - started) / 1000;
}
