import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

describe("dead letters: GET /jobs/failed and POST /jobs/{id}/retry", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  let operator: { id: string; key: string };
  const jobId = randomUUID();

  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
    operator = await t.createUser("operator");
    // An event its subscriber cannot handle (a received_at that is no date), with one attempt: a dead letter at once.
    const event = {
      id: jobId,
      type: "inquiry.created",
      payload: { source: "web_form", received_at: "not a date" },
      created_at: "",
    };
    await t.hub.jobs.enqueue("events", "inquiry.created", event, { jobId, attempts: 1 });
    // expect.poll is for tests only: in a hook, vi.waitFor waits for the dead letter.
    await vi.waitFor(
      async () => {
        if ((await t.hub.jobs.stats("events")).failed < 1) throw new Error("no dead letter yet");
      },
      { timeout: 10_000, interval: 50 },
    );
  });
  afterAll(() => t.stop());

  it("lists dead letters with their last error, for managers and above", async () => {
    const res = await t.request("GET", "/jobs/failed", { key: manager.key });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ queue: "events", id: jobId, name: "inquiry.created", attempts_made: 1 });
    expect(res.body.items[0].last_error).toContain("not a valid instant");
    expect(res.body.items[0].failed_at).toMatch(/[+-]0[01]:00$/);
    expect((await t.request("GET", "/jobs/failed", { key: operator.key })).status).toBe(403);
    expect((await t.request("GET", "/jobs/failed?queue=emails", { key: manager.key })).status).toBe(400);
  });

  it("retries one, audited, and says 404 for a job that is not a dead letter", async () => {
    const res = await t.request("POST", `/jobs/${jobId}/retry`, { key: manager.key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ queue: "events", id: jobId, status: "waiting" });
    const [entry] = await t.hub.database.rows<{ actor_id: string; action: string; before: { attempts_made: number } }>(
      sql`select actor_id::text, action, before from audit_log where entity_type = 'job' and entity_id = ${`events/${jobId}`}`,
    );
    expect(entry).toMatchObject({ actor_id: manager.id, action: "job.retried", before: { attempts_made: 1 } });
    // It ran again (and, its data being no better, failed again).
    await expect.poll(() => t.hub.jobs.stats("events").then((s) => s.failed), { timeout: 10_000 }).toBe(1);
    expect((await t.request("POST", `/jobs/${randomUUID()}/retry`, { key: manager.key })).status).toBe(404);
    expect((await t.request("POST", `/jobs/${jobId}/retry`, { key: operator.key })).status).toBe(403);
  });
});

describe("POST /jobs/{id}/retry with the in-process driver", () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startHub({ jobs: "in-process" });
  });
  afterAll(() => t.stop());

  it("requeues nothing when its audit entry cannot be written: the two commit together", async () => {
    const jobId = randomUUID();
    const event = {
      id: jobId,
      type: "inquiry.created",
      payload: { source: "web_form", received_at: "not a date" },
      created_at: "",
    };
    await t.hub.jobs.enqueue("events", "inquiry.created", event, { jobId, attempts: 1 });
    await expect
      .poll(async () => (await t.hub.jobs.listFailed("events", 10)).map((j) => j.id), { timeout: 10_000 })
      .toContain(jobId);
    await t.hub.database.rows(
      sql.raw(`
      create function refuse_job_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'job.retried' then raise exception 'audit log unavailable'; end if;
        return new;
      end $$`),
    );
    await t.hub.database.rows(
      sql.raw(
        `create trigger refuse_job_audit before insert on audit_log for each row execute function refuse_job_audit()`,
      ),
    );
    try {
      const res = await t.request("POST", `/jobs/${jobId}/retry`);
      expect(res.status).toBe(500);
      expect(await t.hub.jobs.state("events", jobId)).toBe("failed");
      expect(
        await t.hub.database.rows(
          sql`select 1 from jobs where id = ${jobId} and status = 'failed' and attempts_made = 1`,
        ),
      ).toHaveLength(1);
    } finally {
      await t.hub.database.rows(sql.raw(`drop trigger refuse_job_audit on audit_log`));
    }
    expect((await t.request("POST", `/jobs/${jobId}/retry`)).status).toBe(200);
    const audited = await t.hub.database.rows(
      sql`select 1 from audit_log where action = 'job.retried' and entity_id = ${`events/${jobId}`}`,
    );
    expect(audited).toHaveLength(1);
  });
});
