// SLA timers through both job drivers: a breach at the deadline, the escalation after it, nothing once answered,
// and no timer lost to a restart. Settings of a few seconds.
import { and, eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../../db/client";
import { auditLog, inquiries, outboxEvents, tasks } from "../../../db/schema";
import { generateApiKey } from "../../../hub/auth/api-keys";
import { createHub, type Hub } from "../../../hub/composition";
import { parseEnv } from "../../../hub/env";
import { SLA_QUEUE } from "../../../hub/core/jobs/queues";
import { deadlineJobId } from "../../../hub/sla/timers";
import { startFakeBotApi, type FakeBotApi } from "../../support/fakes/telegram-bot-api";
import { WEBHOOK_SECRET } from "../../support/setup/telegram";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { openTestDatabase } from "../../support/database";
import { deleteRedisPrefix, newRedisPrefix, testRedisUrl } from "../../support/redis";

const ESCALATE_AFTER_SECONDS = 3;
const POLL = { timeout: 20_000, interval: 50 };
const DRIVERS = testRedisUrl ? (["in-process", "bullmq"] as const) : (["in-process"] as const);

describe.each(DRIVERS)("SLA escalation on the %s job driver", (driver) => {
  let database: DatabaseHandle;
  let fake: FakeBotApi;
  let hub: Hub;
  const adminKey = generateApiKey();
  const prefix = newRedisPrefix();
  let messageId = 0;
  let operator: { id: string; key: string; chat: number };
  let manager: { id: string; key: string; chat: number };

  /** A hub over the test's one database (a restart keeps it) and, on BullMQ, the same Redis prefix. */
  const startHub = async () => {
    const started = await createHub({
      env: parseEnv({
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TELEGRAM_API_ROOT: fake.url,
        SLA_ESCALATE_AFTER_MINUTES: String(ESCALATE_AFTER_SECONDS / 60),
        ...(driver === "bullmq" ? { REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix } : {}),
      }),
      logger: pino({ level: "silent" }),
      // The hub closes its database when it stops; the test keeps it for the next start.
      database: { ...database, close: async () => {} },
      adminApiKey: adminKey,
      jobOptions: { pollMs: 20 },
      relayOptions: { pollMs: 50 },
    });
    await started.start();
    return started;
  };

  const request = async (method: string, path: string, body?: unknown, key = adminKey) => {
    const res = await hub.app.request(path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const telegram = (chat: number, text: string) =>
    hub.app.request("/webhooks/telegram", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET },
      body: JSON.stringify(textUpdate({ chatId: chat, messageId: ++messageId }, text)),
    });
  const linked = async (role: "operator" | "manager", name: string) => {
    const user = (await request("POST", "/operators", { name, role })).body;
    const chat = newChatId();
    await telegram(chat, `/link ${(await request("POST", `/operators/${user.id}/telegram-link`)).body.code}`);
    return { id: user.id as string, key: user.api_key as string, chat };
  };

  /** A web-form lead whose 1-minute deadline is `seconds` away (its arrival set back to make it so). */
  const leadDueIn = async (seconds: number) => {
    const receivedAt = new Date(Date.now() - (60 - seconds) * 1000);
    const res = await request("POST", "/inquiries", {
      source: "web_form",
      client: { email: `due-${Date.now()}@example.com` },
      received_at: receivedAt.toISOString(),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; reference: string; sla_deadline_at: string };
  };
  const row = async (id: string) =>
    (
      await database.db
        .select({
          breached: inquiries.slaBreachedAt,
          escalated: inquiries.slaEscalatedAt,
          deadline: inquiries.slaDeadlineAt,
        })
        .from(inquiries)
        .where(eq(inquiries.id, id))
    )[0]!;
  const textsTo = (chat: number) => fake.textsIn(chat).join("\n");

  beforeAll(async () => {
    database = await openTestDatabase();
    fake = await startFakeBotApi();
    hub = await startHub();
    await request("PUT", "/sla-policies/web_form", { deadline_minutes: 1 });
    operator = await linked("operator", "Olga");
    manager = await linked("manager", "Max");
    // The manager hears of escalations whatever /notify says; new-inquiry notices would only crowd the test's chat.
    await telegram(manager.chat, "/notify off");
  });
  afterAll(async () => {
    await hub.stop();
    await database.close();
    await fake.close();
    if (driver === "bullmq") await deleteRedisPrefix(testRedisUrl!, prefix);
  });

  it("raises the breach at the deadline (within 1 s), then escalates to the managers after SLA_ESCALATE_AFTER_MINUTES", async () => {
    const lead = await leadDueIn(3);
    await expect.poll(async () => (await row(lead.id)).breached, POLL).not.toBeNull();
    const { breached, deadline } = await row(lead.id);
    expect(Math.abs(breached!.getTime() - deadline.getTime())).toBeLessThan(1000);

    const [task] = await database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.inquiryId, lead.id), eq(tasks.type, "sla.breached")));
    expect(task).toMatchObject({ title: `SLA breached: ${lead.reference}`, status: "open", assigneeId: null });
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, lead.id), eq(auditLog.action, "inquiry.sla_breached")));
    expect(audit).toMatchObject({ actorKind: "system", before: { sla_breached_at: null } });
    const events = async () =>
      (
        await database.db
          .select({ type: outboxEvents.type })
          .from(outboxEvents)
          .where(eq(outboxEvents.aggregateId, lead.id))
      ).map((e) => e.type);
    expect(await events()).toContain("inquiry.sla_breached");

    // Nobody has taken it: every notified operator hears, and the manager (notices off) does not yet.
    await expect
      .poll(() => textsTo(operator.chat), POLL)
      .toContain(`SLA breached: ${lead.reference} (web form) was due by`);
    expect(textsTo(manager.chat)).not.toContain(`${lead.reference} (`);
    expect((await request("GET", `/inquiries/${lead.id}`)).body).toMatchObject({
      sla_status: "breached",
      sla_breached_at: expect.any(String),
    });

    await expect.poll(async () => (await row(lead.id)).escalated, POLL).not.toBeNull();
    const { escalated } = await row(lead.id);
    const after = escalated!.getTime() - breached!.getTime();
    expect(after).toBeGreaterThanOrEqual(ESCALATE_AFTER_SECONDS * 1000 - 50);
    expect(after).toBeLessThan(ESCALATE_AFTER_SECONDS * 1000 + 1000);
    await expect
      .poll(() => textsTo(manager.chat), POLL)
      .toContain(`Escalation: ${lead.reference} (web form) is still unanswered`);
    expect(textsTo(manager.chat)).toContain("Nobody has taken it.");
    expect(await events()).toContain("inquiry.sla_escalated");
    expect(textsTo(operator.chat)).not.toContain(`Escalation: ${lead.reference}`);
  });

  it("tells only the assignee of a taken inquiry of its breach", async () => {
    const other = await linked("operator", "Pat");
    const lead = await leadDueIn(2);
    await request("POST", `/inquiries/${lead.id}/take`, undefined, operator.key);
    await expect.poll(() => textsTo(operator.chat), POLL).toContain(`SLA breached: ${lead.reference}`);
    // A window for a breach notice that must not come: the other operator did not take the inquiry.
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(other.chat)).not.toContain(`SLA breached: ${lead.reference}`);
    await expect.poll(() => textsTo(manager.chat), POLL).toContain(`Escalation: ${lead.reference}`);
    expect(textsTo(manager.chat)).toContain("Taken by Olga.");
  });

  it("does nothing for an inquiry answered before its deadline: the timer is disarmed", async () => {
    const lead = await leadDueIn(3);
    await expect.poll(() => hub.jobs.state(SLA_QUEUE, deadlineJobId(lead.id)), POLL).toBe("delayed");
    expect(
      (
        await request(
          "POST",
          `/inquiries/${lead.id}/contacts`,
          { kind: "email", note: "Replied by e-mail" },
          operator.key,
        )
      ).status,
    ).toBe(201);
    await expect.poll(() => hub.jobs.state(SLA_QUEUE, deadlineJobId(lead.id)), POLL).toBeUndefined();
    // Past the deadline that was cancelled: nothing may breach or escalate in this window.
    await new Promise((r) => setTimeout(r, 3500));
    expect(await row(lead.id)).toMatchObject({ breached: null, escalated: null });
    expect((await request("GET", `/inquiries/${lead.id}`)).body.sla_status).toBe("met");
    expect(textsTo(operator.chat)).not.toContain(`SLA breached: ${lead.reference}`);
  });

  it("keeps a deadline when the SLA policy changes afterwards", async () => {
    const lead = await leadDueIn(3);
    await request("PUT", "/sla-policies/web_form", { deadline_minutes: 600 });
    try {
      expect((await request("GET", `/inquiries/${lead.id}`)).body.sla_deadline_at).toBe(lead.sla_deadline_at);
      await expect.poll(async () => (await row(lead.id)).breached, POLL).not.toBeNull();
    } finally {
      await request("PUT", "/sla-policies/web_form", { deadline_minutes: 1 });
    }
  });

  it("loses no timer to a restart, even one whose queue lost the job meanwhile", async () => {
    const kept = await leadDueIn(4);
    const lost = await leadDueIn(4);
    await expect.poll(() => hub.jobs.state(SLA_QUEUE, deadlineJobId(lost.id)), POLL).toBe("delayed");
    await hub.stop();
    // As a Redis restarted without persistence would: the job is gone while no hub runs.
    const survivor = await startHubWithoutWorkers();
    await survivor.jobs.cancel(SLA_QUEUE, deadlineJobId(lost.id));
    await survivor.stop();

    hub = await startHub();
    await expect.poll(async () => (await row(kept.id)).breached, POLL).not.toBeNull();
    await expect.poll(async () => (await row(lost.id)).breached, POLL).not.toBeNull();
    for (const lead of [kept, lost]) {
      const { breached, deadline } = await row(lead.id);
      expect(Math.abs(breached!.getTime() - deadline.getTime())).toBeLessThan(1000);
    }
  });

  /** A hub in the API role (no workers, no timers armed at start): only to reach the queue. */
  async function startHubWithoutWorkers() {
    const api = await createHub({
      env: parseEnv({ ...(driver === "bullmq" ? { REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix } : {}) }),
      logger: pino({ level: "silent" }),
      database: { ...database, close: async () => {} },
      adminApiKey: adminKey,
      role: "api",
    });
    return api;
  }
});
