// GET /inquiries/{id}/timeline: an inquiry's events in order, with who did each; and its refusals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type TestHub } from "../../support/hub";

// The hub's own clock: the audit log is stamped by the database's, and the timeline puts both in one order.
const DAY_MS = 24 * 60 * 60_000;
const inAMonth = new Date(Math.ceil((Date.now() + 30 * DAY_MS) / DAY_MS) * DAY_MS + 12 * 60 * 60_000).toISOString();

interface Item {
  at: string;
  kind: string;
  action: string;
  summary: string;
  actor_id: string | null;
  actor_name: string | null;
  entity_type: string;
  entity_id: string;
}

describe("GET /inquiries/{id}/timeline", () => {
  let t: TestHub;
  let operator: { id: string; key: string };
  let inquiry: { id: string; reference: string };
  let booking: { id: string; reference: string };

  beforeAll(async () => {
    t = await startHub();
    operator = await t.createUser("operator", "Olga");
    const resource = (await t.request("POST", "/resources", { body: { name: "Alcove", capacity: 4 } })).body;
    inquiry = (
      await t.request("POST", "/inquiries", {
        body: {
          source: "web_form",
          client: { name: "Ann", email: "ann@example.com" },
          requested_start_at: inAMonth,
          party_size: 2,
        },
      })
    ).body;
    const as = { key: operator.key };
    expect((await t.request("POST", `/inquiries/${inquiry.id}/take`, as)).status).toBe(200);
    const contact = await t.request("POST", `/inquiries/${inquiry.id}/contacts`, {
      ...as,
      body: { kind: "call", note: "Rang back, wants Saturday" },
    });
    expect(contact.status).toBe(201);
    const held = await t.request("POST", "/bookings", {
      ...as,
      body: {
        inquiry_id: inquiry.reference,
        resource_id: resource.id,
        start_at: inAMonth,
        duration_minutes: 120,
        deposit_amount: 2500,
      },
    });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    booking = held.body;
    expect((await t.request("POST", `/bookings/${booking.id}/propose`, as)).status).toBe(200);
  });
  afterAll(() => t?.stop());

  const timeline = async (path: string, key?: string) => {
    const res = await t.request("GET", path, key ? { key } : {});
    return { status: res.status, headers: res.headers, items: (res.body?.items ?? []) as Item[] };
  };

  it("lists arrival, the take, the call, the booking's moves and the SLA, oldest first, with who did each", async () => {
    const res = await timeline(`/inquiries/${inquiry.reference}/timeline`, operator.key);
    expect(res.status).toBe(200);
    const items = res.items;
    const past = items.filter((i) => i.action !== "sla.deadline");
    expect(past.map((i) => i.action)).toEqual([
      "inquiry.received",
      "inquiry.assigned",
      "contact.call",
      "sla.first_response",
      "booking.held",
      "booking.proposed",
    ]);
    const byAction = Object.fromEntries(items.map((i) => [i.action, i]));
    expect(byAction["inquiry.assigned"]).toMatchObject({ kind: "inquiry", actor_name: "Olga", actor_id: operator.id });
    expect(byAction["contact.call"]).toMatchObject({
      kind: "contact",
      summary: "Call logged: Rang back, wants Saturday",
      actor_name: "Olga",
    });
    expect(byAction["sla.first_response"]).toMatchObject({ kind: "sla", summary: "First response, within the SLA" });
    expect(byAction["booking.held"]).toMatchObject({
      kind: "booking",
      entity_type: "booking",
      entity_id: booking.id,
      summary: `${booking.reference} held`,
    });
    expect(byAction["inquiry.received"]!.actor_id).toBeNull();
    // The deadline is on the list, in London time with its offset, and in order among the rest.
    expect(byAction["sla.deadline"]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0[01]:00$/);
    const times = items.map((i) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("filters by kind", async () => {
    const res = await timeline(`/inquiries/${inquiry.id}/timeline?kind=booking`);
    expect(res.status).toBe(200);
    expect(res.items.map((i) => i.action)).toEqual(["booking.held", "booking.proposed"]);
  });

  it("adds the deposit's payment once the customer accepts (manual: no provider is configured)", async () => {
    expect((await t.request("POST", `/bookings/${booking.id}/accept`, { key: operator.key })).status).toBe(200);
    await expect
      .poll(
        async () => (await timeline(`/inquiries/${inquiry.id}/timeline?kind=payment`)).items.map((i) => i.summary),
        {
          timeout: 10_000,
          interval: 100,
        },
      )
      .toContain(`${booking.reference} deposit £25.00 (manual): attempt created`);
    const accepted = (await timeline(`/inquiries/${inquiry.id}/timeline?kind=booking`)).items.map((i) => i.action);
    expect(accepted).toEqual(["booking.held", "booking.proposed", "booking.awaiting_deposit"]);
  });

  it("answers 404 for an inquiry that does not exist, 400 naming a bad kind, 401 without a key", async () => {
    const missing = await timeline("/inquiries/INQ-999999/timeline");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Content-Type")).toContain("application/problem+json");
    const bad = await t.request("GET", `/inquiries/${inquiry.id}/timeline?kind=weather`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: "kind", message: expect.stringContaining("must be one of") }]);
    expect((await t.request("GET", `/inquiries/${inquiry.id}/timeline`, { key: null })).status).toBe(401);
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await t.request("GET", "/openapi.json")).body;
    expect(doc.paths["/inquiries/{id}/timeline"].get.responses).toHaveProperty("200");
  });
});
