// The benchmark's baseline, run as a process of its own: what one HTTP request and one single-row INSERT cost on this
// machine, with nothing else. A bare Hono endpoint, postgres-js with one fixed (prepared) statement, the same pool size
// as the hub's. Env: DATABASE_URL (required), PORT.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import postgres from "postgres";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("bare-insert: DATABASE_URL is required");
const sql = postgres(url, { max: 10, prepare: true, onnotice: () => {} });
await sql`create table if not exists bench_bare (
  id uuid primary key default gen_random_uuid(),
  body jsonb not null,
  created_at timestamptz not null default now()
)`;

const app = new Hono()
  .get("/health/ready", (c) => c.json({ status: "ready" }))
  .post("/inquiries", async (c) => {
    const body = (await c.req.json()) as postgres.JSONValue;
    const [row] = await sql`insert into bench_bare (body) values (${sql.json(body)}) returning id`;
    return c.json(row, 201);
  });

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3999), hostname: "127.0.0.1" });
process.on("SIGTERM", () => {
  server.close(() => void sql.end().then(() => process.exit(0)));
});
