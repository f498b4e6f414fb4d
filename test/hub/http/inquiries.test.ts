import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

const unique = () => Math.random().toString(36).slice(2, 10);

describe("POST /inquiries", () => {
  let t: TestHub;
  let operator: { id: string; key: string };
  let partnerCode: string;

  beforeAll(async () => {
    t = await startHub();
    operator = await t.createUser("operator");
    partnerCode = String((await t.createPartner()).code);
  });
  afterAll(() => t.stop());

  const post = (body: unknown, headers?: Record<string, string>) =>
    t.request("POST", "/inquiries", { body, key: operator.key, headers });
  const count = async (table: string) =>
    Number(
      (await t.hub.database.rows<{ n: string }>(sql`select count(*)::text as n from ${sql.identifier(table)}`))[0]!.n,
    );

  it("takes a lead from each of the five sources", async () => {
    const leads = {
      web_form: { source: "web_form", message: "Table for four", client: { name: "Ann", email: "ann@example.com" } },
      whatsapp: {
        source: "whatsapp",
        message: "Hi",
        external_chat_id: "447911100001",
        external_message_id: `wamid.${unique()}`,
      },
      telegram: { source: "telegram", message: "Hello", external_chat_id: "9001", external_message_id: unique() },
      phone: {
        source: "phone",
        client: { phone: "07911 100002" },
        duration_seconds: 95,
        call_result: "answered_interested",
        operator_id: operator.id,
      },
      partner: { source: "partner", partner_code: partnerCode, client: { phone: "+44 7911 100003" }, party_size: 6 },
    };
    const weights = { web_form: 1, whatsapp: 1.1, telegram: 1.1, phone: 1.2, partner: 0.9 };
    const minutes = { web_form: 60, whatsapp: 15, telegram: 15, phone: 30, partner: 120 };
    for (const [source, body] of Object.entries(leads)) {
      const res = await post(body);
      expect(res.status, `${source}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.body).toMatchObject({
        source,
        status: "new",
        source_weight: weights[source as keyof typeof weights],
        sla_deadline_minutes: minutes[source as keyof typeof minutes],
        priority: Math.round(100 * weights[source as keyof typeof weights]),
      });
      expect(res.body.reference).toMatch(/^INQ-\d+$/);
      expect(res.headers.get("location")).toBe(`/inquiries/${res.body.id}`);
      const received = Date.parse(res.body.received_at);
      expect(Date.parse(res.body.sla_deadline_at) - received).toBe(minutes[source as keyof typeof minutes] * 60_000);
    }
  });

  it("rejects any other source with 400 naming the five, and stores nothing", async () => {
    const before = await count("inquiries");
    for (const source of ["unknown", "manual", "other", "email", ""]) {
      const res = await post({ source, client: { email: "x@example.com" } });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors).toContainEqual({
        field: "source",
        message: "must be one of web_form, whatsapp, telegram, phone, partner",
      });
    }
    expect(await post({ client: { email: "x@example.com" } })).toMatchObject({ status: 400 });
    expect(await count("inquiries")).toBe(before);
  });

  it("enforces each source's own fields", async () => {
    const cases: [unknown, string][] = [
      [{ source: "partner", client: { phone: "+447911100004" } }, "partner_code"],
      [{ source: "partner", partner_code: "no-such-partner", client: { phone: "+447911100004" } }, "partner_code"],
      [{ source: "web_form", partner_code: partnerCode, client: { phone: "+447911100004" } }, "partner_code"],
      [{ source: "whatsapp", external_message_id: "m1" }, "external_chat_id"],
      [{ source: "telegram", external_chat_id: "1" }, "external_message_id"],
      [
        { source: "phone", client: { phone: "07911100005" }, call_result: "no_answer", operator_id: operator.id },
        "duration_seconds",
      ],
      [
        {
          source: "phone",
          client: { phone: "07911100005" },
          duration_seconds: -1,
          call_result: "no_answer",
          operator_id: operator.id,
        },
        "duration_seconds",
      ],
      [
        {
          source: "phone",
          client: { phone: "07911100005" },
          duration_seconds: 1.5,
          call_result: "no_answer",
          operator_id: operator.id,
        },
        "duration_seconds",
      ],
      [
        {
          source: "phone",
          client: { phone: "07911100005" },
          duration_seconds: 10,
          call_result: "hung_up",
          operator_id: operator.id,
        },
        "call_result",
      ],
      [
        { source: "phone", client: { phone: "07911100005" }, duration_seconds: 10, call_result: "no_answer" },
        "operator_id",
      ],
      [
        {
          source: "phone",
          client: { phone: "07911100005" },
          duration_seconds: 10,
          call_result: "no_answer",
          operator_id: "00000000-0000-4000-8000-0000000000ff",
        },
        "operator_id",
      ],
      [{ source: "phone", duration_seconds: 10, call_result: "no_answer", operator_id: operator.id }, "client.phone"],
      [{ source: "web_form", call_result: "no_answer", client: { phone: "07911100005" } }, "call_result"],
      [{ source: "web_form", client: { name: "No contact" } }, "client"],
      [{ source: "web_form", client: { phone: "12345" } }, "client.phone"],
      [{ source: "web_form", client: { email: "not-an-email" } }, "client.email"],
      [{ source: "web_form", client: { email: "a@example.com" }, received_at: "yesterday" }, "received_at"],
      [
        { source: "web_form", client: { email: "a@example.com" }, requested_start_at: "2026-02-30T10:00" },
        "requested_start_at",
      ],
      [{ source: "web_form", client: { email: "a@example.com" }, party_size: 0 }, "party_size"],
      [{ source: "web_form", client: { email: "a@example.com" }, sorce: "typo" }, "sorce"],
      [{ source: "web_form", client: { email: "a@example.com" }, received_at: "0099-01-01T00:00:00Z" }, "received_at"],
      [{ source: "telegram", external_chat_id: "1", external_message_id: "x".repeat(129) }, "external_message_id"],
    ];
    const before = await count("inquiries");
    const clientsBefore = await count("clients");
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.errors.map((e: { field: string }) => e.field),
        JSON.stringify(res.body),
      ).toContain(field);
    }
    expect(await count("inquiries")).toBe(before);
    expect(await count("clients")).toBe(clientsBefore);
  });

  it("refuses leads for a suspended partner", async () => {
    const suspended = await t.createPartner({ status: "suspended" });
    const res = await post({ source: "partner", partner_code: suspended.code, client: { phone: "+447911100006" } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("suspended");
  });

  it("takes received_at from the caller, London time when it has no offset, but not from the future", async () => {
    const res = await post({
      source: "web_form",
      client: { email: "past@example.com" },
      received_at: "2026-07-01T10:00:00",
      requested_start_at: "2026-07-04T19:30",
    });
    expect(res.status).toBe(201);
    expect(res.body.received_at).toBe("2026-07-01T10:00:00.000+01:00");
    expect(res.body.sla_deadline_at).toBe("2026-07-01T11:00:00.000+01:00");
    expect(res.body.requested_start_at).toBe("2026-07-04T19:30:00.000+01:00");

    const soon = new Date(Date.now() + 4 * 60_000).toISOString();
    expect((await post({ source: "web_form", client: { email: "soon@example.com" }, received_at: soon })).status).toBe(
      201,
    );
    const later = new Date(Date.now() + 6 * 60_000).toISOString();
    const future = await post({ source: "web_form", client: { email: "future@example.com" }, received_at: later });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe("received_at");
  });

  it("computes the SLA deadline on the London wall clock across a clock change", async () => {
    const res = await post({
      source: "web_form",
      client: { email: "dst@example.com" },
      received_at: "2026-10-24T12:00:00Z",
    });
    await t.request("PUT", "/sla-policies/web_form", { body: { deadline_minutes: 1440 } });
    const after = await post({
      source: "web_form",
      client: { email: "dst@example.com" },
      received_at: "2026-10-24T12:00:00Z",
    });
    await t.request("PUT", "/sla-policies/web_form", { body: { deadline_minutes: 60 } });
    expect(res.body.sla_deadline_at).toBe("2026-10-24T14:00:00.000+01:00");
    expect(after.body.sla_deadline_minutes).toBe(1440);
    // 13:00 BST + 24 h on the wall clock is 13:00 GMT the next day: 25 real hours.
    expect(after.body.sla_deadline_at).toBe("2026-10-25T13:00:00.000+00:00");
  });

  it("recognises one client across channels by phone, Telegram user and email", async () => {
    const whatsapp = await post({
      source: "whatsapp",
      external_chat_id: "447911200001",
      external_message_id: `wamid.${unique()}`,
    });
    const phone = await post({
      source: "phone",
      client: { phone: "07911 200001", name: "Bob" },
      duration_seconds: 30,
      call_result: "callback_requested",
      operator_id: operator.id,
    });
    const form = await post({ source: "web_form", client: { phone: "+44 (0)7911 200001", email: "Bob@Example.com" } });
    const byEmail = await post({ source: "partner", partner_code: partnerCode, client: { email: "bob@example.com" } });
    expect(new Set([whatsapp, phone, form, byEmail].map((r) => r.body.client_id)).size).toBe(1);
    expect(phone.body.client).toEqual({ name: "Bob", phone: "+447911200001", email: null });
    expect(byEmail.body.client).toEqual({ name: "Bob", phone: "+447911200001", email: "bob@example.com" });

    const first = await post({ source: "telegram", external_chat_id: "777001", external_message_id: "777001:1" });
    // While the chat's inquiry is open, a new one from that chat is refused: its messages join the open one.
    const whileOpen = await post({ source: "telegram", external_chat_id: "777001", external_message_id: "777001:2" });
    expect(whileOpen.status).toBe(409);
    expect(whileOpen.body.detail).toContain(`${first.body.reference} is still open for this chat`);
    expect((await t.request("PATCH", `/inquiries/${first.body.id}`, { body: { status: "closed" } })).status).toBe(200);
    const second = await post({ source: "telegram", external_chat_id: "777001", external_message_id: "777001:3" });
    expect(second.status).toBe(201);
    const other = await post({ source: "telegram", external_chat_id: "777002", external_message_id: "777002:1" });
    expect(second.body.client_id).toBe(first.body.client_id);
    expect(other.body.client_id).not.toBe(first.body.client_id);
  });

  describe("idempotency", () => {
    it("answers a repeated Idempotency-Key with the first inquiry, unchanged", async () => {
      const key = `key-${unique()}`;
      const body = { source: "web_form", message: "once", client: { email: "idem@example.com" } };
      const first = await post(body, { "Idempotency-Key": key });
      const again = await post(body, { "Idempotency-Key": key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(again.body).toEqual(first.body);
      expect(first.body.idempotency_key).toBe(key);
      // The same email written another way is the same request.
      const reformatted = { ...body, client: { email: "IDEM@Example.com" } };
      expect((await post(reformatted, { "Idempotency-Key": key })).status).toBe(200);
      // The key in the body is the same key.
      const viaBody = await post({ ...body, idempotency_key: key });
      expect(viaBody.status).toBe(200);
      expect(viaBody.body.id).toBe(first.body.id);
    });

    it("answers the same key with a different body with 409, storing nothing", async () => {
      const key = `key-${unique()}`;
      await post({ source: "web_form", message: "a", client: { email: "k@example.com" } }, { "Idempotency-Key": key });
      const before = await count("inquiries");
      const res = await post(
        { source: "web_form", message: "b", client: { email: "k@example.com" } },
        { "Idempotency-Key": key },
      );
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await count("inquiries")).toBe(before);
    });

    it("rejects a body key that differs from the header", async () => {
      const res = await post(
        { source: "web_form", client: { email: "k@example.com" }, idempotency_key: "a" },
        { "Idempotency-Key": "b" },
      );
      expect(res.status).toBe(400);
    });

    it("never stores a redelivered chat message twice", async () => {
      const body = { source: "telegram", message: "hi", external_chat_id: "555", external_message_id: `m-${unique()}` };
      const first = await post(body);
      const again = await post(body);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      // The same message id from another source is another message.
      const whatsapp = await post({ ...body, source: "whatsapp", external_chat_id: "447911300001" });
      expect(whatsapp.status).toBe(201);
      // The same message id in the same source with other content is a conflict, not a second inquiry.
      expect((await post({ ...body, message: "edited" })).status).toBe(409);
    });

    it("keeps one row when the same lead arrives many times at once", async () => {
      const body = {
        source: "whatsapp",
        message: "race",
        external_chat_id: `4479114${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`,
        external_message_id: `wamid.${unique()}`,
      };
      const results = await Promise.all(Array.from({ length: 12 }, () => post(body)));
      expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.hub.database.rows<{ n: string; clients: string }>(
        sql`select count(*)::text as n, count(distinct client_id)::text as clients from inquiries where external_message_id = ${body.external_message_id}`,
      );
      expect(rows[0]).toEqual({ n: "1", clients: "1" });
      const identities = await t.hub.database.rows<{ n: string }>(
        sql`select count(*)::text as n from client_identities where value = ${`+${body.external_chat_id}`}`,
      );
      expect(identities[0]!.n).toBe("1");
    });

    it("keeps one client when different leads from a new number arrive at once", async () => {
      const phone = `+4479112${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post({ source: "web_form", message: `lead ${i}`, client: { phone } })),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(new Set(results.map((r) => r.body.client_id)).size).toBe(1);
    });
  });

  it("records the webhook event with the inquiry and its outbox event", async () => {
    const eventId = `update-${unique()}`;
    const res = await post({
      source: "telegram",
      external_chat_id: "4242",
      external_message_id: unique(),
      webhook_event_id: eventId,
    });
    expect(res.status).toBe(201);
    const events = await t.hub.database.rows<{ source: string }>(
      sql`select source::text from webhook_events where external_event_id = ${eventId}`,
    );
    expect(events).toEqual([{ source: "telegram" }]);
    const outbox = await t.hub.database.rows<{ type: string }>(
      sql`select type from outbox_events where aggregate_id = ${res.body.id}`,
    );
    expect(outbox).toEqual([{ type: "inquiry.created" }]);
  });

  it("writes nothing at all when any step of the transaction fails", async () => {
    // A database-side failure at the last step (the outbox insert) must undo the client, inquiry and webhook event.
    await t.hub.database.rows(
      sql.raw(`
      create or replace function fail_outbox() returns trigger language plpgsql as $$
      begin
        if new.payload->>'source' = 'telegram' and new.payload->>'priority' = '110' then
          raise exception 'outbox unavailable';
        end if;
        return new;
      end $$`),
    );
    await t.hub.database.rows(
      sql.raw(`create trigger fail_outbox before insert on outbox_events for each row execute function fail_outbox()`),
    );
    try {
      // Replies to earlier tests' chat leads may queue outbox events meanwhile, so the outbox is counted by the
      // one event type only intake writes.
      const created = async () =>
        Number(
          (
            await t.hub.database.rows<{ n: string }>(
              sql`select count(*)::text as n from outbox_events where type = 'inquiry.created'`,
            )
          )[0]!.n,
        );
      const counts = async () =>
        Promise.all([...["inquiries", "clients", "client_identities", "webhook_events"].map(count), created()]);
      const before = await counts();
      const res = await post({
        source: "telegram",
        external_chat_id: "31337",
        external_message_id: unique(),
        webhook_event_id: `update-${unique()}`,
      });
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await counts()).toEqual(before);
    } finally {
      await t.hub.database.rows(sql.raw(`drop trigger fail_outbox on outbox_events`));
    }
  });

  it("answers malformed, mistyped and oversized bodies with 4xx problems", async () => {
    const malformed = await post('{"source": "web_form",');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get("content-type")).toBe("application/problem+json");
    const notJson = await post("source=web_form", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(notJson.status).toBe(415);
    const huge = await post({ source: "web_form", client: { email: "big@example.com" }, message: "x".repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.status).toBe(413);
    const array = await post([1, 2]);
    expect(array.status).toBe(400);
  });
});

describe("GET /inquiries", () => {
  let t: TestHub;
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startHub();
    // Received one hour apart on 2025-03-01, London time, alternating sources.
    for (let i = 0; i < 7; i++) {
      const res = await t.request("POST", "/inquiries", {
        body: {
          source: i % 2 === 0 ? "web_form" : "telegram",
          client: { email: `list${i}@example.com` },
          ...(i % 2 === 0 ? {} : { external_chat_id: `100${i}`, external_message_id: `list-${i}` }),
          received_at: `2025-03-01T${String(10 + i).padStart(2, "0")}:00:00`,
        },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
  });
  afterAll(() => t.stop());

  it("pages newest first with a cursor", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/inquiries?from=2025-03-01T00:00&to=2025-03-02T00:00&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await t.request("GET", query);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters by source, status and received_at window", async () => {
    const telegram = await t.request("GET", "/inquiries?source=telegram&from=2025-03-01T00:00&to=2025-03-02T00:00");
    expect(telegram.body.items.map((i: { id: string }) => i.id)).toEqual([ids[5], ids[3], ids[1]]);
    const window = await t.request("GET", "/inquiries?from=2025-03-01T11:00:00&to=2025-03-01T13:00:00");
    expect(window.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const booked = await t.request("GET", "/inquiries?status=booked&from=2025-03-01T00:00&to=2025-03-02T00:00");
    expect(booked.body.items).toEqual([]);
  });

  it("rejects bad filters with 400", async () => {
    for (const query of ["source=fax", "status=done", "limit=0", "limit=101", "from=tomorrow", "cursor=abc"]) {
      const res = await t.request("GET", `/inquiries?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
  });

  it("gets one inquiry by id or by reference, else 404", async () => {
    // Received in 2025, its deadline long past: its SLA timer records the breach at once. Wait for that, so both
    // reads below see the same inquiry.
    await expect
      .poll(async () => (await t.request("GET", `/inquiries/${ids[0]}`)).body.sla_breached_at, { timeout: 10_000 })
      .not.toBeNull();
    const byId = await t.request("GET", `/inquiries/${ids[0]}`);
    expect(byId.status).toBe(200);
    const byReference = await t.request("GET", `/inquiries/${byId.body.reference}`);
    expect(byReference.body).toEqual(byId.body);
    expect((await t.request("GET", "/inquiries/INQ-999999")).status).toBe(404);
    expect((await t.request("GET", "/inquiries/00000000-0000-4000-8000-00000000dead")).status).toBe(404);
    expect((await t.request("GET", "/inquiries/nonsense")).status).toBe(404);
  });
});
