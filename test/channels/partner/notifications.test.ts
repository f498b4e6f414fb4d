// Partner notifications: a signed POST to the partner's webhook_url when its lead is booked or lost, retried, recorded.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";
import { FakePartnerReceiver } from "../../support/fakes/partner-receiver";
import { postSignedLead } from "./support";

describe("partner channel: notifications", () => {
  let t: TestHub<{ partner: true }>;
  let code: string;
  let secret: string;
  let n = 0;

  beforeAll(async () => {
    t = await startHub({ partner: true });
    const partner = await t.createPartner({ webhook_url: t.partner.url });
    code = String(partner.code);
    secret = String(partner.signing_secret);
  });
  afterAll(async () => {
    await t.stop();
  });

  async function newLead(): Promise<{ id: string; reference: string; submissionId: string }> {
    const submissionId = `sub_${Date.now().toString(36)}${++n}`;
    const res = await postSignedLead(t, code, secret, submissionId, { client: { email: `lead${n}@example.com` } });
    expect(res.status).toBe(201);
    return { id: res.body.id, reference: res.body.reference, submissionId };
  }

  const setStatus = async (id: string, status: string) =>
    expect((await t.request("PATCH", `/inquiries/${id}`, { body: { status } })).status).toBe(200);

  const notificationsOf = (inquiryId: string) =>
    t.hub.database.rows<{
      id: string;
      type: string;
      webhook_id: string;
      status: string;
      attempts: number;
      last_status_code: number | null;
    }>(
      sql`select id, type, webhook_id, status, attempts, last_status_code from partner_notifications
          where inquiry_id = ${inquiryId} order by created_at`,
    );

  const attemptsOf = (notificationId: string) =>
    t.hub.database.rows<{ attempt_number: number; status_code: number | null; error: string | null }>(
      sql`select attempt_number, status_code, error from partner_notification_attempts
          where notification_id = ${notificationId} order by attempt_number`,
    );

  const receivedFor = (reference: string) => t.partner.received.filter((r) => r.body.includes(`"${reference}"`));

  it("tells the partner, signed with its secret, when its lead is booked and when it is lost", async () => {
    const lead = await newLead();
    await setStatus(lead.id, "booked");
    await expect.poll(() => receivedFor(lead.reference).length, { timeout: 15_000 }).toBe(1);
    await setStatus(lead.id, "lost");
    await expect.poll(() => receivedFor(lead.reference).length, { timeout: 15_000 }).toBe(2);

    const [booked, lost] = receivedFor(lead.reference).map((r) => ({
      request: r,
      body: FakePartnerReceiver.verify(secret, r),
    }));
    expect(booked!.body).toMatchObject({
      type: "inquiry.booked",
      data: {
        inquiry_id: lead.id,
        reference: lead.reference,
        partner_code: code,
        status: "booked",
        submission_id: lead.submissionId,
      },
    });
    expect(booked!.body.data.changed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]0[01]:00$/);
    expect(lost!.body).toMatchObject({ type: "inquiry.lost", data: { status: "lost", reference: lead.reference } });
    expect(booked!.request.headers["content-type"]).toBe("application/json");
    expect(booked!.request.headers["webhook-id"]).not.toBe(lost!.request.headers["webhook-id"]);
    // Another partner's secret does not verify it.
    const other = await t.createPartner();
    expect(() => FakePartnerReceiver.verify(String(other.signing_secret), booked!.request)).toThrow();

    await expect.poll(async () => (await notificationsOf(lead.id)).length).toBe(2);
    const rows = await notificationsOf(lead.id);
    expect(rows.map((r) => [r.type, r.status, r.attempts, r.last_status_code])).toEqual([
      ["inquiry.booked", "delivered", 1, 200],
      ["inquiry.lost", "delivered", 1, 200],
    ]);
    expect(rows[0]!.webhook_id).toBe(booked!.request.headers["webhook-id"]);
  });

  it("retries with backoff: 500 twice, then 200, is delivered on the third attempt with the same webhook-id", async () => {
    const lead = await newLead();
    t.partner.answer(500, 500);
    await setStatus(lead.id, "booked");
    await expect.poll(() => receivedFor(lead.reference).length, { timeout: 20_000 }).toBe(3);
    const requests = receivedFor(lead.reference);
    expect(new Set(requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    for (const request of requests)
      expect(FakePartnerReceiver.verify(secret, request)).toMatchObject({ type: "inquiry.booked" });

    await expect.poll(async () => (await notificationsOf(lead.id))[0]?.status, { timeout: 10_000 }).toBe("delivered");
    const [row] = await notificationsOf(lead.id);
    expect(row).toMatchObject({ attempts: 3, last_status_code: 200 });
    expect((await attemptsOf(row!.id)).map((a) => [a.attempt_number, a.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect((await attemptsOf(row!.id))[0]!.error).toContain("HTTP 500");
  });

  it("gives up at once on a 4xx other than 408 or 429: recorded as rejected, the event a dead letter to replay", async () => {
    const lead = await newLead();
    t.partner.answer(410);
    await setStatus(lead.id, "booked");
    await expect.poll(async () => (await notificationsOf(lead.id))[0]?.status, { timeout: 15_000 }).toBe("rejected");
    await expect
      .poll(
        async () =>
          (await t.hub.jobs.listFailed("events", 20)).some((job) => String(job.lastError).includes(lead.reference)),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    // A window in which no retry may come: 410 means the partner wants no more.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receivedFor(lead.reference)).toHaveLength(1);
    expect((await notificationsOf(lead.id))[0]).toMatchObject({ attempts: 1, last_status_code: 410 });
  });

  it("sends nothing for other statuses, for partners without a webhook_url, or for other sources", async () => {
    const quiet = await t.createPartner();
    const res = await postSignedLead(t, String(quiet.code), String(quiet.signing_secret), `quiet${++n}`, {
      client: { email: "q@example.com" },
    });
    const lead = await newLead();
    await setStatus(lead.id, "in_progress");
    await setStatus(res.body.id, "booked");
    const form = await t.request("POST", "/inquiries", {
      body: { source: "web_form", client: { email: "form@example.com" } },
    });
    await setStatus(form.body.id, "booked");
    // Wait until these inquiries' events have been handled by every subscriber, then look.
    const unprocessed = async () => {
      const ids = [lead.id, res.body.id, form.body.id];
      const [row] = await t.hub.database.rows<{ n: string }>(sql`select count(*)::text as n from outbox_events
        where processed_at is null and aggregate_id in (${sql.join(
          ids.map((id) => sql`${id}`),
          sql`, `,
        )})`);
      return Number(row!.n);
    };
    await expect.poll(unprocessed, { timeout: 15_000 }).toBe(0);
    expect(receivedFor(lead.reference)).toHaveLength(0);
    expect(await notificationsOf(res.body.id)).toEqual([]);
    expect(await notificationsOf(form.body.id)).toEqual([]);
  });

  it("shows a partner's notifications to managers, newest first, with every attempt, by status and page by page", async () => {
    const lead = await newLead();
    t.partner.answer(503);
    await setStatus(lead.id, "booked");
    await expect.poll(async () => (await notificationsOf(lead.id))[0]?.status, { timeout: 15_000 }).toBe("delivered");
    t.partner.answer(410);
    await setStatus(lead.id, "lost");
    await expect.poll(async () => (await notificationsOf(lead.id))[1]?.status, { timeout: 15_000 }).toBe("rejected");

    const manager = await t.createUser("manager");
    const res = await t.request("GET", `/partners/${code}/notifications?limit=2`, { key: manager.key });
    expect(res.status).toBe(200);
    const [lost, booked] = res.body.items;
    expect(lost).toMatchObject({
      type: "inquiry.lost",
      reference: lead.reference,
      inquiry_id: lead.id,
      status: "rejected",
      attempts: 1,
      last_status_code: 410,
      url: t.partner.url,
      payload: { type: "inquiry.lost", data: { reference: lead.reference } },
      attempt_log: [{ attempt_number: 1, status_code: 410 }],
    });
    expect(lost.webhook_id).toBe(`msg_${lost.event_id}`);
    // The event behind a rejected notification is the dead letter to replay.
    await expect
      .poll(async () => (await t.hub.jobs.listFailed("events", 50)).map((j) => j.id), { timeout: 10_000 })
      .toContain(lost.event_id);
    expect(booked).toMatchObject({
      type: "inquiry.booked",
      status: "delivered",
      attempts: 2,
      last_status_code: 200,
      last_error: null,
    });
    expect(booked.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([503, 200]);
    expect(booked.delivered_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]0[01]:00$/);

    const next = await t.request("GET", `/partners/${code}/notifications?limit=2&cursor=${res.body.next_cursor}`, {
      key: manager.key,
    });
    expect(next.status).toBe(200);
    expect(next.body.items.length).toBeGreaterThan(0);
    expect(next.body.items.map((n: { id: string }) => n.id)).not.toContain(lost.id);
    const rejected = await t.request("GET", `/partners/${code}/notifications?status=rejected&limit=100`, {
      key: manager.key,
    });
    expect(rejected.body.items.every((n: { status: string }) => n.status === "rejected")).toBe(true);
    expect(rejected.body.items.map((n: { id: string }) => n.id)).toContain(lost.id);

    const operator = await t.createUser("operator");
    expect((await t.request("GET", `/partners/${code}/notifications`, { key: operator.key })).status).toBe(403);
    const unknown = await t.request("GET", "/partners/no-such-partner/notifications", { key: manager.key });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    const badStatus = await t.request("GET", `/partners/${code}/notifications?status=lost`, { key: manager.key });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.detail).toContain("must be one of failing, delivered, rejected");
  });
});
