// Signed deliveries the hub cannot read: each is refused with a 400 problem (or taken as `unknown` when it is about a
// payment nobody knows), stores nothing, and counts as a processing failure in GET /health; never a 500, which the
// provider would send again and again. Also Stripe's signature time, refused when it lies in the future.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";

const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";

/** The slot's two counters in GET /health, and how many webhook events are stored. */
async function tally(p: PaymentTestHub, slot: "stripe" | "secondary") {
  const health = (await p.request("GET", "/health")).body.payments[slot];
  const [stored] = await p.rows<{ n: number }>(sql`select count(*)::int as n from payment_webhook_events`);
  return {
    rejected: health.rejected_signatures as number,
    failures: health.webhook_failures as number,
    stored: stored!.n,
  };
}

/** Posts each delivery, expecting a 400 problem that stores nothing and counts one processing failure each. */
async function expectRefusedAsUnreadable(
  p: PaymentTestHub,
  slot: "stripe" | "secondary",
  deliveries: Record<string, { body: string; headers: Record<string, string | undefined> }>,
) {
  const before = await tally(p, slot);
  const answers: Record<string, string> = {};
  for (const [what, delivery] of Object.entries(deliveries)) {
    const res = await p.payments.webhook(slot, delivery);
    // Not a signature problem: the signature was good.
    answers[what] =
      `${res.status} ${res.contentType} ${/signature/.test(res.body?.detail ?? "") ? "blames the signature" : ""}`.trim();
  }
  expect(answers).toEqual(
    Object.fromEntries(Object.keys(deliveries).map((what) => [what, "400 application/problem+json"])),
  );
  expect(await tally(p, slot)).toEqual({ ...before, failures: before.failures + Object.keys(deliveries).length });
}

describe("signed but unreadable webhooks, Stripe and Revolut", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: {} });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("answers 400 to a Stripe event with data null, a body of null or not JSON, and an id with a NUL or a lone surrogate", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const paid = JSON.parse(p.payments.stripe!.webhook("paid", attempt.provider_payment_id).body) as Record<
      string,
      unknown
    >;
    await expectRefusedAsUnreadable(p, "stripe", {
      "data null": p.payments.stripe!.signed({ ...paid, data: null }),
      "body null": p.payments.sign("stripe", "null"),
      "not JSON": p.payments.sign("stripe", "this is not JSON"),
      "id with NUL": p.payments.stripe!.signed({ ...paid, id: `evt_${NUL}1` }),
      "id with a lone surrogate": p.payments.stripe!.signed({ ...paid, id: `evt_${LONE_SURROGATE}1` }),
      "session id with NUL": p.payments.stripe!.signed({
        ...paid,
        data: { object: { id: `cs_${NUL}`, payment_status: "paid" } },
      }),
    });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "awaiting_deposit" });
    expect((await p.payments.list(b.bookingId))[0]).toMatchObject({ status: "open" });

    // The same event, well formed, still settles the attempt.
    expect(await p.payments.webhook("stripe", p.payments.stripe!.signed(paid))).toMatchObject({
      status: 200,
      body: { result: "processed", kind: "paid" },
    });
    const health = await p.request("GET", "/health");
    expect(health.body.warnings).toContainEqual(
      expect.stringMatching(/^\d+ stripe webhook\(s\) signed but not processed since start/),
    );
  });

  it("takes a well-formed event with a NUL and a lone surrogate deep in its payload, keeping U+FFFD in its stored copy", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const paid = JSON.parse(p.payments.stripe!.webhook("paid", attempt.provider_payment_id).body) as {
      id: string;
      data: { object: Record<string, unknown> };
    };
    paid.data.object.customer_details = { name: `Ann${NUL}e ${LONE_SURROGATE}Smith` };
    expect(await p.payments.webhook("stripe", p.payments.stripe!.signed(paid))).toMatchObject({
      status: 200,
      body: { result: "processed", kind: "paid" },
    });
    const [stored] = await p.rows<{ name: string }>(
      sql`select payload->'data'->'object'->'customer_details'->>'name' as name from payment_webhook_events where event_id = ${paid.id}`,
    );
    expect(stored!.name).toBe("Ann\ufffde \ufffdSmith");
  });

  it("refuses a Stripe signature stamped more than 5 minutes ahead, as a bad signature, and takes one 4 minutes ahead", async () => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.stripe!.pay(attempt.provider_payment_id);
    const event = JSON.parse(p.payments.stripe!.webhook("paid", attempt.provider_payment_id).body) as Record<
      string,
      unknown
    >;
    const before = await tally(p, "stripe");

    const ahead = await p.payments.webhook(
      "stripe",
      p.payments.stripe!.signed(event, { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 }),
    );
    expect(ahead).toMatchObject({ status: 400, contentType: "application/problem+json" });
    expect(ahead.body.detail).toMatch(/signature.*future/);
    expect(await tally(p, "stripe")).toEqual({ ...before, rejected: before.rejected + 1 });
    expect(await p.payments.booking(b.bookingId)).toMatchObject({ status: "awaiting_deposit" });

    const near = await p.payments.webhook(
      "stripe",
      p.payments.stripe!.signed(event, { timestamp: Math.floor(Date.now() / 1000) + 4 * 60 }),
    );
    expect(near).toMatchObject({ status: 200, body: { result: "processed", kind: "paid" } });
  });

  it("answers 200 unknown to a signed ORDER_COMPLETED for an order Revolut does not know", async () => {
    const before = await tally(p, "secondary");
    const res = await p.payments.webhook("secondary", p.payments.revolut!.event("ORDER_COMPLETED", randomUUID()));
    expect(res).toMatchObject({ status: 200, body: { received: true, result: "unknown", kind: "ignored" } });
    // Stored like Stripe's unknown session: the delivery, tied to no payment, so a replay is a duplicate.
    expect(await tally(p, "secondary")).toEqual({ ...before, stored: before.stored + 1 });
  });

  it("answers 503 and stores nothing when Revolut fails while the order is read again, so Revolut sends it again", async () => {
    const before = await tally(p, "secondary");
    p.payments.revolut!.failNext(500);
    const res = await p.payments.webhook("secondary", p.payments.revolut!.event("ORDER_COMPLETED", randomUUID()));
    expect(res).toMatchObject({
      status: 503,
      contentType: "application/problem+json",
      body: { detail: expect.stringMatching(/^revolut could not be asked/) },
    });
    expect(await tally(p, "secondary")).toEqual({ ...before, failures: before.failures + 1 });
  });

  it("answers 400 to a signed Revolut body that is not JSON, null, not an event, or whose event name holds a NUL or a lone surrogate", async () => {
    await expectRefusedAsUnreadable(p, "secondary", {
      "not JSON": p.payments.sign("revolut", "this is not JSON"),
      "body null": p.payments.sign("revolut", "null"),
      "no event name": p.payments.sign("revolut", JSON.stringify({ order_id: randomUUID() })),
      "event with NUL": p.payments.sign("revolut", JSON.stringify({ event: `ORDER_COMPLETED${NUL}` })),
      "event with a lone surrogate": p.payments.sign(
        "revolut",
        JSON.stringify({ event: `ORDER_COMPLETED${LONE_SURROGATE}` }),
      ),
      // The order id goes into the path of the order fetch: one that cannot be Revolut's is never asked about.
      "order id with a lone surrogate": p.payments.sign(
        "revolut",
        JSON.stringify({ event: "ORDER_COMPLETED", order_id: `${randomUUID()}${LONE_SURROGATE}` }),
      ),
      "order id far too long": p.payments.sign(
        "revolut",
        JSON.stringify({ event: "ORDER_COMPLETED", order_id: "x".repeat(60_000) }),
      ),
      "order id with a slash": p.payments.sign(
        "revolut",
        JSON.stringify({ event: "ORDER_COMPLETED", order_id: "../orders" }),
      ),
    });
  });
});

describe("signed but unreadable webhooks, Checkout.com", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: { stripe: false, secondary: "checkout" } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("answers 400 to a body that is not JSON, null, not an event, or an id with a NUL or a lone surrogate", async () => {
    const event = { id: "evt_checkout_1", type: "payment_captured", data: { id: "pay_1", reference: randomUUID() } };
    await expectRefusedAsUnreadable(p, "secondary", {
      "not JSON": p.payments.sign("checkout", "this is not JSON"),
      "body null": p.payments.sign("checkout", "null"),
      "no id": p.payments.sign("checkout", JSON.stringify({ type: "payment_captured" })),
      "id with NUL": p.payments.sign("checkout", JSON.stringify({ ...event, id: `evt_${NUL}` })),
      "id with a lone surrogate": p.payments.sign(
        "checkout",
        JSON.stringify({ ...event, id: `evt_${LONE_SURROGATE}` }),
      ),
    });
    const health = await p.request("GET", "/health");
    expect(health.body.payments.secondary).toMatchObject({
      name: "checkout",
      rejected_signatures: 0,
      webhook_failures: 5,
    });
  });

  it("answers 200 unknown to a payment it does not know, and to one with data null", async () => {
    for (const body of [
      {
        id: "evt_checkout_unknown",
        type: "payment_captured",
        data: { id: "pay_2", reference: randomUUID(), metadata: { payment_id: randomUUID() } },
      },
      { id: "evt_checkout_no_data", type: "payment_captured", data: null },
    ]) {
      const res = await p.payments.webhook("secondary", p.payments.sign("checkout", JSON.stringify(body)));
      expect(res).toMatchObject({ status: 200, body: { result: "unknown" } });
    }
  });
});
