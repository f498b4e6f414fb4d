// Two API processes and one worker over one PostgreSQL (and Redis, in the pass that has it), as README's
// "separate worker processes" runs them: every lead stored once however many times and wherever it is delivered,
// every event handled once, and each SLA deadline breaching once.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deleteRedisPrefix, testRedisUrl } from "../support/redis";
import { listeningUrl, logLine, servicesSetup, startHubProcess } from "../support/processes";

const LEADS = 20;
/** Each lead reaches each API process this many times, all at once: a channel's redeliveries racing each other. */
const DELIVERIES_EACH = 2;
/** How far ahead of the posting each lead's SLA deadline falls: after every delivery, well before the test ends. */
const DEADLINE_AHEAD_MS = 6_000;
const POLL = { timeout: 45_000, interval: 200 };

describe.runIf(process.env.DATABASE_URL)("two API processes and one worker", () => {
  it("store each lead once, handle each event once and breach each deadline once", async () => {
    const { database, prefix, env } = await servicesSetup();
    const apis = [startHubProcess({ ...env, HUB_ROLE: "api" }), startHubProcess({ ...env, HUB_ROLE: "api" })];
    const worker = startHubProcess({ ...env, HUB_ROLE: "worker" });
    const count = async (query: ReturnType<typeof sql>) =>
      Number((await database.rows<{ n: number }>(query))[0]?.n ?? 0);
    try {
      const urls = await Promise.all(apis.map(listeningUrl));
      await logLine(worker, "worker running");
      const call = (url: string, method: string, path: string, body: unknown) =>
        fetch(`${url}${path}`, {
          method,
          headers: { Authorization: `Bearer ${env.ADMIN_API_KEY}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
      expect((await call(urls[0]!, "PUT", "/sla-policies/whatsapp", { deadline_minutes: 1 })).status).toBe(200);

      // Every lead arrived a minute ago less DEADLINE_AHEAD_MS: its 1-minute deadline falls shortly after.
      const receivedAt = new Date(Date.now() - 60_000 + DEADLINE_AHEAD_MS).toISOString();
      const lead = (n: number) => ({
        source: "whatsapp",
        message: `Table for ${(n % 6) + 2}, please`,
        external_chat_id: `4479${String(90_000_000 + n)}@c.us`,
        external_message_id: `wamid.processes.${n}`,
        received_at: receivedAt,
      });
      const answers = await Promise.all(
        Array.from({ length: LEADS }, (_, n) =>
          Promise.all(
            urls.flatMap((url) =>
              Array.from({ length: DELIVERIES_EACH }, async () => {
                const res = await call(url, "POST", "/inquiries", lead(n));
                return { status: res.status, id: ((await res.json()) as { id?: string }).id };
              }),
            ),
          ),
        ),
      );
      for (const [n, deliveries] of answers.entries()) {
        // One delivery stored it (201); every other one was told it is the same inquiry (200), none failed.
        const statuses = deliveries.map((d) => d.status);
        expect(
          statuses.filter((s) => s === 201),
          `lead ${n}: ${statuses}`,
        ).toHaveLength(1);
        expect(
          statuses.filter((s) => s === 200),
          `lead ${n}: ${statuses}`,
        ).toHaveLength(statuses.length - 1);
        expect(new Set(deliveries.map((d) => d.id)).size, `lead ${n}`).toBe(1);
      }
      expect(await count(sql`select count(*) as n from inquiries`)).toBe(LEADS);

      // Every event handled, once: the day's count is the number of leads, and no event is left unhandled.
      await expect
        .poll(() => count(sql`select coalesce(sum(total_count), 0) as n from inquiry_metrics_daily`), POLL)
        .toBe(LEADS);
      // Each deadline breaches once, whichever process's timer fired it.
      const breaches = () => count(sql`select count(*) as n from audit_log where action = 'inquiry.sla_breached'`);
      await expect.poll(breaches, POLL).toBe(LEADS);
      await expect
        .poll(() => count(sql`select count(*) as n from outbox_events where processed_at is null`), POLL)
        .toBe(0);
      expect(await count(sql`select count(*) as n from tasks where type = 'sla.breached'`)).toBe(LEADS);
      expect(await count(sql`select coalesce(sum(total_count), 0) as n from inquiry_metrics_daily`)).toBe(LEADS);
      expect(await breaches()).toBe(LEADS);
    } finally {
      for (const started of [...apis, worker]) started.child.kill("SIGTERM");
      for (const started of [...apis, worker]) expect(await started.exited).toBe(0);
      await database.close();
      if (testRedisUrl) await deleteRedisPrefix(testRedisUrl, prefix);
    }
  }, 120_000);
});
