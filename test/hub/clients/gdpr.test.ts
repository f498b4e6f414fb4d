// UK GDPR through the API, on whichever job driver the run uses: a manager's export of everything held about a person
// (a Telegram lead with a logged call, a staff reply, a manual deposit with its proof and approval, a no-show); an
// admin's erasure, refused while the booking is live, then leaving amounts, dates, statuses and the reports as they
// were and no trace of the person in any table or audit entry; a second erasure; the same chat starting a new client.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeDays } from "../../../hub/metrics";
import { londonDate } from "../../../hub/core/time";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { startHub, type PaymentTestHub } from "../../support/hub";
import { POLL } from "../../support/setup/payments";

const MINUTE = 60_000;
/** The 8-byte PNG signature and an IHDR chunk: what a proof's type is recognised by. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);
/** Words only this person's data holds: after the erasure no table may hold them. */
const TRACES = ["Zebulon", "Quirke", "QuokkaPie", "Wombat Lane"];

// The hub's clock is the real one until the test moves it past the booking's start.
let ahead = 0;
const clock = () => new Date(Date.now() + ahead);

describe("a client's export and erasure", () => {
  let t: PaymentTestHub;
  let operator: { id: string; key: string };
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };

  beforeAll(async () => {
    t = await startHub({
      telegram: true,
      payments: { stripe: false, secondary: null },
      overrides: { now: clock },
      env: { BOOKING_HOLD_MINUTES: "600", TIMER_SWEEP_SECONDS: "0.5" },
    });
    operator = await t.createUser("operator");
    managerA = await t.createUser("manager");
    managerB = await t.createUser("manager");
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, key = operator.key, body?: unknown) => {
    const res = await t.request(method, path, { key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const upload = async (paymentId: string, comment: string) => {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(PNG)]), "zebulon-transfer.png");
    form.set("comment", comment);
    const res = await t.hub.app.request(`/payments/${paymentId}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${operator.key}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  };
  /** Every table's rows that still spell one of the person's traces (a row cast to text, so every column counts). */
  const traces = async () => {
    const tables = await t.rows<{ name: string }>(
      sql`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    const found: string[] = [];
    for (const { name } of tables) {
      const pattern = TRACES.join("|");
      const [row] = await t.rows<{ n: number }>(
        sql.raw(`select count(*)::int as n from "${name}" r where r::text ~* '${pattern}'`),
      );
      if (row!.n > 0) found.push(`${name}: ${row!.n}`);
    }
    return found;
  };

  it("exports everything about the person, erases it all but the money and the facts, and starts afresh", async () => {
    // A Telegram lead who gives a name, an address and a secret; staff call them back and answer in the chat.
    const chat = newChatId();
    await t.telegram.post(
      textUpdate(
        { chatId: chat, messageId: 1, firstName: "Zebulon", lastName: "Quirke" },
        "A table for two tonight please. I live on Wombat Lane; QuokkaPie is the password at our door.",
      ),
    );
    const [lead] = await t.rows<{ id: string; client_id: string }>(
      sql`select id::text, client_id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    const clientId = lead!.client_id;
    await api("POST", `/inquiries/${lead!.id}/contacts`, operator.key, {
      kind: "call",
      note: "Called Zebulon Quirke back about the QuokkaPie door code",
    });
    const reply = await api("POST", `/inquiries/${lead!.id}/messages`, operator.key, {
      text: "Hello Zebulon, see you at 8 at Wombat Lane's corner.",
    });
    await expect.poll(() => t.telegram.textsIn(chat).join("\n"), POLL).toContain("Hello Zebulon");

    // A booking starting within the hour, its deposit paid by bank transfer and approved on a proof.
    const start = new Date(clock().getTime() + 60 * MINUTE);
    const room = await api("POST", "/resources", t.adminKey, { name: "Garden room", capacity: 6 });
    const booking = await api("POST", "/bookings", operator.key, {
      inquiry_id: lead!.id,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + 120 * MINUTE).toISOString(),
      party_size: 2,
      deposit_amount: 3000,
    });
    await api("POST", `/bookings/${booking.id}/accept`);
    const [attempt] = await t.payments.attempts(booking.id, 1);
    expect(attempt).toMatchObject({ provider: "manual", status: "open" });
    const proof = await upload(attempt.id, "Zebulon Quirke's transfer from Barclays");
    await api("POST", `/payments/${attempt.id}/approve`, managerB.key, {
      note: "Seen Zebulon Quirke in the statement",
    });
    await expect.poll(async () => (await api("GET", `/bookings/${booking.id}`)).status, POLL).toBe("confirmed");

    // While the booking is live, it cannot be erased: the admin is told what to finish first.
    const early = await t.request("POST", `/clients/${clientId}/erase`);
    expect(early.status).toBe(409);
    expect(early.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(early.body.detail).toMatch(
      new RegExp(
        `^Client ${clientId} cannot be erased yet: ${booking.reference} is confirmed \\(starts .+\\): cancel it`,
      ),
    );
    expect((await t.rows(sql`select 1 from clients where id = ${clientId} and name is not null`)).length).toBe(1);

    // Nobody came.
    ahead += 3 * 60 * MINUTE;
    await api("POST", `/bookings/${booking.id}/no-show`);
    // A goodwill refund all the same, by bank transfer, with notes that name the person.
    const refund = await api("POST", `/payments/${attempt.id}/refunds`, managerA.key, {
      amount: 500,
      note: "Goodwill for Zebulon",
    });
    await api("POST", `/payments/${refund.id}/refund-sent`, managerB.key, {
      note: "Sent to Zebulon Quirke's Barclays",
    });
    // To the later of the booking's date and the refund's (the clock is past the start; near midnight, a day on).
    const range = {
      from: londonDate(new Date()),
      to: [londonDate(start), londonDate(new Date(Date.now() + ahead))].sort()[1]!,
    };
    const reportPath = `/reports/daily?from=${range.from}&to=${range.to}`;
    await expect.poll(async () => (await api("GET", reportPath, t.adminKey)).totals.no_show_count, POLL).toBe(1);
    await expect.poll(async () => (await api("GET", reportPath, t.adminKey)).totals.revenue, POLL).toBe(2500);
    const report = await api("GET", reportPath, t.adminKey);
    expect(report.totals).toMatchObject({ total_count: 1, converted_count: 1, revenue: 2500 });
    const days = await computeDays(t.hub.db, range);

    // The export: a manager's; not an operator's.
    expect((await t.request("GET", `/clients/${clientId}/export`, { key: operator.key })).status).toBe(403);
    const exported = await t.request("GET", `/clients/${clientId}/export`, { key: managerA.key });
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toBe(`attachment; filename="client-${clientId}.json"`);
    const e = exported.body;
    expect(e.client).toMatchObject({ id: clientId, name: "Zebulon Quirke" });
    expect(e.erasure).toBeNull();
    expect(e.identities).toEqual([{ kind: "telegram", value: String(chat), created_at: expect.any(String) }]);
    expect(e.inquiries).toHaveLength(1);
    expect(e.inquiries[0]).toMatchObject({ id: lead!.id, source: "telegram", external_chat_id: String(chat) });
    expect(e.inquiries[0].message).toContain("QuokkaPie");
    expect(e.contacts).toEqual([expect.objectContaining({ kind: "call", note: expect.stringContaining("Zebulon") })]);
    const bodies = e.messages.map((m: { direction: string; body: string }) => `${m.direction}: ${m.body}`);
    expect(bodies).toEqual(expect.arrayContaining([expect.stringMatching(/^inbound: A table for two/)]));
    expect(bodies).toContain(`outbound: ${reply.body}`);
    expect(e.bookings).toEqual([expect.objectContaining({ id: booking.id, status: "no_show", deposit_amount: 3000 })]);
    expect(e.payments).toEqual([
      expect.objectContaining({ id: attempt.id, provider: "manual", status: "paid", amount: 3000, pay_url: null }),
      expect.objectContaining({
        id: refund.id,
        type: "refund",
        status: "refunded",
        amount: 500,
        note: "Goodwill for Zebulon",
      }),
    ]);
    expect(e.proofs).toEqual([
      expect.objectContaining({
        id: proof.id,
        file_name: "zebulon-transfer.png",
        content_type: "image/png",
        size_bytes: PNG.length,
        comment: "Zebulon Quirke's transfer from Barclays",
        download: `/payments/${attempt.id}/proofs/${proof.id}`,
      }),
    ]);
    const file = await t.hub.app.request(e.proofs[0].download, {
      headers: { Authorization: `Bearer ${managerA.key}` },
    });
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    expect(e.approvals).toEqual([
      expect.objectContaining({
        payment_id: attempt.id,
        approved_by: managerB.id,
        note: expect.stringContaining("Zebulon"),
      }),
    ]);
    expect(
      await t.rows(
        sql`select actor_id::text from audit_log where action = 'client.exported' and entity_id = ${clientId}`,
      ),
    ).toEqual([{ actor_id: managerA.id }]);
    expect(await traces()).not.toEqual([]);

    // The erasure: an admin's only.
    expect((await t.request("POST", `/clients/${clientId}/erase`, { key: managerA.key })).status).toBe(403);
    const erased = await t.request("POST", `/clients/${clientId}/erase`);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      client_id: clientId,
      already_erased: false,
      erased_by: expect.any(String),
      cause: "request",
      removed: {
        client: 1,
        identities: 1,
        inquiries: 1,
        contacts: 1,
        proofs: 1,
        approvals: 1,
        bookings: 0,
        closed_inquiries: 0,
      },
    });
    expect(erased.body.removed.messages).toBeGreaterThanOrEqual(2);
    expect(erased.body.removed.channel_events).toBeGreaterThanOrEqual(1);
    expect(erased.body.removed.audit_entries).toBeGreaterThanOrEqual(3);

    // Nothing of the person is left anywhere: not in a table, a delivery, a note, a proof or the audit log.
    expect(await traces()).toEqual([]);
    const [file2] = await t.rows<{ size: number; bytes: number }>(
      sql`select size_bytes as size, length(content)::int as bytes from payment_proofs where id = ${proof.id}`,
    );
    expect(file2).toEqual({ size: PNG.length, bytes: 0 });
    // Asked for by its old link, the file is gone for good: 410, saying why.
    const gone = await t.hub.app.request(e.proofs[0].download, {
      headers: { Authorization: `Bearer ${managerA.key}` },
    });
    expect(gone.status).toBe(410);
    expect(gone.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(((await gone.json()) as { detail: string }).detail).toBe(
      `The file of proof ${proof.id} was erased with its client's personal data; its record stays.`,
    );
    const after = (await t.request("GET", `/clients/${clientId}/export`, { key: managerA.key })).body;
    expect(after.client).toMatchObject({ name: null, phone: null, email: null });
    expect(after.erasure).toEqual({
      erased_at: erased.body.erased_at,
      erased_by: erased.body.erased_by,
      cause: "request",
    });
    expect(after.identities).toEqual([]);
    expect(after.inquiries[0]).toMatchObject({
      message: null,
      external_chat_id: `[erased]:${lead!.id}`,
      external_message_id: `[erased]:${lead!.id}`,
      source: "telegram",
      status: "booked",
      received_at: e.inquiries[0].received_at,
    });
    expect(new Set(after.messages.map((m: { body: string }) => m.body))).toEqual(new Set(["[erased]"]));
    expect(after.contacts[0].note).toBe("[erased]");
    expect(after.proofs[0]).toMatchObject({ file_name: "[erased]", comment: "[erased]", download: null });
    expect(after.approvals[0].note).toBe("[erased]");
    // What the business keeps: the booking, the money, its dates and statuses, and the figures.
    expect(after.bookings).toEqual(e.bookings);
    expect(after.payments).toEqual(
      e.payments.map((p: { note: string | null }) => ({
        ...p,
        note: p.note === null ? null : "[erased]",
        updated_at: expect.any(String),
      })),
    );
    expect(await api("GET", reportPath, t.adminKey)).toEqual(report);
    expect(await computeDays(t.hub.db, range)).toEqual(days);
    // The erasure's own entry says who and how much, and nothing of what.
    const [entry] = await t.rows<{ actor_id: string; after: Record<string, unknown> }>(
      sql`select actor_id::text, after from audit_log where action = 'client.erased' and entity_id = ${clientId}`,
    );
    expect(entry).toMatchObject({ actor_id: erased.body.erased_by, after: { cause: "request", again: false } });
    // The log stays append-only outside an erasure.
    await expect(
      t.hub.db.execute(sql`update audit_log set after = '{}' where entity_id = ${clientId}`),
    ).rejects.toThrow();

    // A second erasure: the same answer, nothing changed, nothing more recorded.
    const again = await t.request("POST", `/clients/${clientId}/erase`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ already_erased: true, erased_at: erased.body.erased_at });
    expect(Object.values(again.body.removed).every((n) => n === 0)).toBe(true);
    expect(
      await t.rows(sql`select 1 from audit_log where action = 'client.erased' and entity_id = ${clientId}`),
    ).toHaveLength(1);

    // The same chat writes again: nobody knows it, so it is a new client and a new inquiry.
    await t.telegram.post(textUpdate({ chatId: chat, messageId: 2, firstName: "Zebulon" }, "Hello again"));
    const [next] = await t.rows<{ id: string; client_id: string }>(
      sql`select id::text, client_id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    expect(next!.id).not.toBe(lead!.id);
    expect(next!.client_id).not.toBe(clientId);
    expect(
      await t.rows(sql`select kind::text, value from client_identities where client_id = ${next!.client_id}`),
    ).toEqual([{ kind: "telegram", value: String(chat) }]);
  });

  it("answers 404 for a client that does not exist and 400 for an id that is not one", async () => {
    const missing = "00000000-0000-4000-8000-000000000000";
    expect((await t.request("GET", `/clients/${missing}/export`)).status).toBe(404);
    const erase = await t.request("POST", `/clients/${missing}/erase`);
    expect(erase).toMatchObject({ status: 404, body: { detail: `No client has id "${missing}".` } });
    const bad = await t.request("GET", "/clients/INQ-1/export");
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("id must be a client id");
  });
});
