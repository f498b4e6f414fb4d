// GET /queue: one deterministic order from the channel's weight and the time to the deadline, with its properties.
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { INQUIRY_SOURCES, type InquirySource } from "../../../db/schema";
import { startHub, type TestHub } from "../../support/hub";

// A fixed clock far from any clock change: deadlines and scores are exact.
const NOW = new Date("2026-03-10T12:00:00Z");
const WEIGHTS: Record<InquirySource, number> = {
  web_form: 1.0,
  whatsapp: 1.1,
  telegram: 1.1,
  phone: 1.2,
  partner: 0.9,
};

interface QueueItem {
  id: string;
  reference: string;
  source: InquirySource;
  queue_score: number;
  sla_deadline_at: string;
  received_at: string;
  sla_status: string;
  minutes_to_deadline: number;
  assignee_id: string | null;
  priority: number;
}

describe("the work queue", () => {
  let t: TestHub;
  let partnerCode: string;
  let operator: { id: string; key: string };
  let counter = 0;

  beforeAll(async () => {
    t = await startHub({ overrides: { now: () => NOW }, jobs: "in-process" });
    partnerCode = String((await t.createPartner()).code);
    operator = await t.createUser("operator");
  });
  afterAll(() => t.stop());
  // Each test sees only its own inquiries in the queue.
  beforeEach(async () => {
    await t.hub.database.rows(sql`update inquiries set status = 'closed' where status in ('new', 'in_progress')`);
    for (const source of INQUIRY_SOURCES) await setDeadline(source, 60);
  });

  const setDeadline = (source: InquirySource, minutes: number) =>
    t.request("PUT", `/sla-policies/${source}`, { body: { deadline_minutes: minutes } });

  /** A lead of `source` that arrived `minutesAgo` before NOW. */
  const lead = async (source: InquirySource, minutesAgo: number) => {
    const n = ++counter;
    const bySource: Record<InquirySource, Record<string, unknown>> = {
      web_form: { client: { email: `q${n}@example.com` } },
      whatsapp: { external_chat_id: `4479110${String(n).padStart(5, "0")}`, external_message_id: `wamid.q${n}` },
      telegram: { external_chat_id: String(900_000 + n), external_message_id: `${900_000 + n}:1` },
      phone: {
        client: { phone: `+4479111${String(n).padStart(5, "0")}` },
        duration_seconds: 30,
        call_result: "no_answer",
        operator_id: operator.id,
      },
      partner: { partner_code: partnerCode, client: { email: `p${n}@example.com` } },
    };
    const res = await t.request("POST", "/inquiries", {
      body: { source, received_at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(), ...bySource[source] },
    });
    if (res.status !== 201) throw new Error(`lead: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; reference: string };
  };

  const queue = async (
    query = "",
    key?: string,
  ): Promise<{ items: QueueItem[]; next_cursor: string | null; as_of: string }> => {
    const res = await t.request("GET", `/queue${query}`, { key });
    if (res.status !== 200) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const references = async () => (await queue("?limit=100")).items.map((i) => i.reference);

  it("orders leads of the same arrival and deadline by channel: phone, whatsapp = telegram, web_form, partner", async () => {
    const made = {
      partner: await lead("partner", 10),
      web_form: await lead("web_form", 10),
      telegram: await lead("telegram", 10),
      whatsapp: await lead("whatsapp", 10),
      phone: await lead("phone", 10),
    };
    // whatsapp and telegram weigh the same: the lower reference (telegram, made first) goes first.
    expect(await references()).toEqual(
      [made.phone, made.telegram, made.whatsapp, made.web_form, made.partner].map((m) => m.reference),
    );
    const items = (await queue()).items;
    expect(items[1]!.queue_score).toBe(items[2]!.queue_score);
  });

  it("puts an inquiry past its deadline before every one not yet due, whatever the channel", async () => {
    const dueSoon = await lead("phone", 59); // 1 minute left, the heaviest channel
    const overdue = await lead("partner", 61); // 1 minute late, the lightest
    const later = await lead("phone", 0);
    expect(await references()).toEqual([overdue.reference, dueSoon.reference, later.reference]);
    const [first, second] = (await queue()).items;
    expect(first).toMatchObject({ sla_status: "breached", minutes_to_deadline: -1 });
    // A phone lead is answered by the call itself, so its SLA is met, though its deadline still gives it urgency.
    expect(second).toMatchObject({ source: "phone", sla_status: "met", minutes_to_deadline: 1 });
  });

  it("breaks ties by the earlier deadline, then the earlier arrival, then the lower reference", async () => {
    // Equal scores from different weights: web_form 50 min before its deadline, phone 62 (1000/60 = 1200/72).
    await setDeadline("phone", 72);
    const phone = await lead("phone", 10); // due in 62 min
    const web = await lead("web_form", 10); // due in 50 min
    const [a, b] = (await queue()).items;
    expect(a!.queue_score).toBe(b!.queue_score);
    expect([a!.reference, b!.reference]).toEqual([web.reference, phone.reference]);

    await t.hub.database.rows(sql`update inquiries set status = 'closed' where status in ('new', 'in_progress')`);
    // The same deadline from different arrivals (a policy changed between them): the earlier arrival first.
    await setDeadline("web_form", 30);
    const late = await lead("web_form", 0); // arrived now, due in 30
    await setDeadline("web_form", 60);
    const early = await lead("web_form", 30); // arrived 30 min ago, due in 30
    const twin = await lead("web_form", 30);
    expect(await references()).toEqual([early.reference, twin.reference, late.reference]);
  });

  it("satisfies the order properties for any mix of channels and arrivals (property test)", async () => {
    const arrival = fc.integer({ min: 0, max: 120 }); // minutes before NOW; deadlines are 60 min after arrival
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom(...INQUIRY_SOURCES), arrival), { minLength: 2, maxLength: 8 }),
        async (leads) => {
          await t.hub.database.rows(sql`update inquiries set status = 'closed' where status in ('new', 'in_progress')`);
          for (const [source, minutesAgo] of leads) await lead(source, minutesAgo);
          const items = (await queue("?limit=100")).items;
          const overdue = (i: QueueItem) => new Date(i.sla_deadline_at).getTime() <= NOW.getTime();
          for (let x = 0; x < items.length; x++) {
            for (let y = x + 1; y < items.length; y++) {
              const [a, b] = [items[x]!, items[y]!];
              // Past the deadline before not yet due.
              if (overdue(b)) expect(overdue(a)).toBe(true);
              // The same arrival and deadline: the heavier channel first.
              if (a.sla_deadline_at === b.sla_deadline_at && a.received_at === b.received_at)
                expect(WEIGHTS[a.source]).toBeGreaterThanOrEqual(WEIGHTS[b.source]);
              // Scores never rise down the list.
              expect(a.queue_score).toBeGreaterThanOrEqual(b.queue_score);
            }
          }
          // Deterministic: asked again, and walked page by page, the same order.
          const again = (await queue("?limit=100")).items.map((i) => i.id);
          expect(again).toEqual(items.map((i) => i.id));
          const paged: string[] = [];
          let cursor: string | null = null;
          do {
            const page = await queue(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
            paged.push(...page.items.map((i) => i.id));
            cursor = page.next_cursor;
          } while (cursor);
          expect(paged).toEqual(again);
        },
      ),
      { numRuns: 12, seed: 20261201 },
    );
  });

  it("lists the caller's own with ?mine=true, and shows every field in London time", async () => {
    const mine = await lead("whatsapp", 5);
    await lead("web_form", 5);
    await t.request("POST", `/inquiries/${mine.id}/take`, { key: operator.key });
    const own = await queue("?mine=true", operator.key);
    expect(own.items.map((i) => i.reference)).toEqual([mine.reference]);
    expect(own.items[0]).toMatchObject({
      id: mine.id,
      source: "whatsapp",
      status: "in_progress",
      priority: 110,
      assignee_id: operator.id,
      sla_status: "pending",
      minutes_to_deadline: 55,
      sla_deadline_at: "2026-03-10T12:55:00.000+00:00",
      queue_score: Number(((1.1 * 1000) / 65).toFixed(4)),
    });
    expect(own.as_of).toBe("2026-03-10T12:00:00.000+00:00");
    expect((await queue("?mine=true")).items).toEqual([]); // the admin has taken nothing
  });

  it("refuses a bad cursor, limit or mine with 400, and anyone without a key with 401", async () => {
    for (const query of ["?cursor=nope", "?limit=0", "?limit=101", "?mine=yes"]) {
      const res = await t.request("GET", `/queue${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect((await t.request("GET", "/queue", { key: null })).status).toBe(401);
  });
});
