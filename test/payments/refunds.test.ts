// Cancellation under the policy and refunds, through the API against the fake Stripe and Telegram, on whichever job
// driver the run uses: a cancellation 3 days before refunds the deposit in full at Stripe, one 2 hours before keeps
// it; a manager's override; a manager's partial refunds up to what was paid, settled at once or by Stripe's refund
// webhook (a failed one raises a task); the customer told in their chat; revenue net of refunds on the refund's date.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tasks } from "../../db/schema";
import { londonDate } from "../../hub/core/time";
import { callbackUpdate, newChatId, textUpdate } from "../channels/telegram/updates";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

const HOUR = 3_600_000;
const clock = () => new Date();

describe("cancellation policy and refunds", () => {
  let t: PaymentTestHub;
  let operator: { id: string; key: string };
  let manager: { id: string; key: string };
  let n = 0;

  beforeAll(async () => {
    t = await startHub({
      telegram: true,
      payments: {},
      // No test here times a provider out: a slow call under the full suite's load must not fail over.
      env: { CANCELLATION_FULL_REFUND_HOURS: "48", BOOKING_HOLD_MINUTES: "600", PAYMENT_PROVIDER_TIMEOUT_MS: "10000" },
    });
    operator = await t.createUser("operator");
    manager = await t.createUser("manager");
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown, key = manager.key) => {
    const res = await t.request(method, path, { key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** A Telegram lead's booking `hoursAhead` from the hub's clock, its deposit paid at Stripe: confirmed. */
  const paidBooking = async (hoursAhead: number, deposit = 2500) => {
    const chat = newChatId();
    await t.telegram.post(textUpdate({ chatId: chat, messageId: 1 }, "A table please"));
    await expect
      .poll(
        async () => (await t.rows(sql`select 1 from inquiries where external_chat_id = ${String(chat)}`)).length,
        POLL,
      )
      .toBe(1);
    const [lead] = await t.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    const room = await api("POST", "/resources", { name: `Refund room ${++n}`, capacity: 6 }, t.adminKey);
    const start = new Date(Math.ceil((clock().getTime() + hoursAhead * HOUR) / 60_000) * 60_000);
    const held = await api("POST", "/bookings", {
      inquiry_id: lead!.id,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + 2 * HOUR).toISOString(),
      party_size: 2,
      deposit_amount: deposit,
    });
    await api("POST", `/bookings/${held.id}/accept`);
    const [attempt] = await t.payments.attempts(held.id, 1);
    await t.payments.stripe!.pay(attempt.provider_payment_id);
    const paid = await t.payments.webhook("stripe", t.payments.stripe!.webhook("paid", attempt.provider_payment_id));
    expect(paid.status).toBe(200);
    await expect.poll(async () => (await t.payments.booking(held.id)).status, POLL).toBe("confirmed");
    return { id: held.id as string, reference: held.reference as string, chat, attempt, start };
  };
  const refunds = async (bookingId: string) => (await t.payments.list(bookingId)).filter((p) => p.type === "refund");
  /** Stripe's refund calls; with `refundId`, those for that refund row (its id is the refund's metadata). */
  const stripeRefundCalls = (refundId?: string) =>
    t.payments.stripe!.requests.filter(
      (r) =>
        r.method === "POST" &&
        r.path === "/v1/refunds" &&
        (!refundId || (r.body.metadata as Record<string, string> | undefined)?.payment_id === refundId),
    );
  const texts = (chat: number) => t.telegram.textsIn(chat);
  const revenueOn = async (date: string) => {
    const [row] = await t.rows<{ revenue: string }>(
      sql`select coalesce(sum(revenue), 0)::text as revenue from inquiry_metrics_daily where date_london = ${date}::date and source = 'telegram'`,
    );
    return Number(row!.revenue);
  };

  it("refunds the deposit in full at Stripe when staff cancel 3 days before, and tells the customer", async () => {
    const revenueBefore = await revenueOn(londonDate(clock()));
    const b = await paidBooking(72);
    await expect.poll(() => revenueOn(londonDate(clock())), POLL).toBe(revenueBefore + 2500);

    const cancelled = await t.request("POST", `/bookings/${b.id}/cancel`, {
      key: operator.key,
      body: { reason: "The customer phoned to cancel" },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", cancel_refund: "full" });
    expect(cancelled.body.cancel_reason).toBe(
      "The customer phoned to cancel; the deposit of £25.00 is refunded in full: cancelled at least 48 h before the start",
    );

    await expect
      .poll(async () => (await refunds(b.id)).map((r) => [r.status, r.amount]), POLL)
      .toEqual([["refunded", 2500]]);
    const [refund] = await refunds(b.id);
    expect(refund).toMatchObject({ refund_of: b.attempt.id, provider: "stripe", requested_by: null });
    // One call to Stripe, with the refund's own id as its idempotency key and its metadata.
    const calls = stripeRefundCalls(refund.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers["idempotency-key"]).toBe(`refund-${refund.id}`);
    expect(calls[0]!.body.amount).toBe("2500");
    const attempt = (await t.payments.list(b.id)).find((p) => p.id === b.attempt.id);
    expect(attempt.status).toBe("refunded");

    await expect
      .poll(() => texts(b.chat).join("\n"), POLL)
      .toContain("Your deposit of £25.00 will be refunded in full");
    await expect.poll(() => texts(b.chat).join("\n"), POLL).toContain(`We have refunded £25.00 for ${b.reference}.`);
    // Money in and money back on the same London date: the day's revenue is as it was.
    await expect.poll(() => revenueOn(londonDate(clock())), POLL).toBe(revenueBefore);
  });

  it("lets a web-form customer cancel on their booking page, asked once more, with the deposit refunded", async () => {
    const lead = await api("POST", "/inquiries", { source: "web_form", client: { email: `page${++n}@example.com` } });
    const room = await api("POST", "/resources", { name: `Page room ${n}`, capacity: 6 }, t.adminKey);
    const start = new Date(Math.ceil((clock().getTime() + 96 * HOUR) / 60_000) * 60_000);
    const held = await api("POST", "/bookings", {
      inquiry_id: lead.id,
      resource_id: room.id,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + HOUR).toISOString(),
      party_size: 2,
      deposit_amount: 2500,
    });
    const proposal = await api("POST", `/bookings/${held.id}/propose`);
    const path = new URL(proposal.booking_url).pathname;
    const form = (action: string) =>
      t.hub.app.request(path, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: `action=${action}`,
      });
    expect((await form("accept")).status).toBe(303);
    // Not yet paid: the page offers a cancellation already (nothing to refund).
    const [attempt] = await t.payments.attempts(held.id, 1);
    await t.payments.stripe!.pay(attempt.provider_payment_id);
    await t.payments.webhook("stripe", t.payments.stripe!.webhook("paid", attempt.provider_payment_id));
    await expect.poll(async () => (await t.payments.booking(held.id)).status, POLL).toBe("confirmed");

    const page = await (await t.hub.app.request(path)).text();
    expect(page).toContain(
      '<button class="decline" type="submit" name="action" value="cancel">Cancel this booking</button>',
    );
    const asked = await form("cancel");
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain(`Cancel ${held.reference}? Your deposit of £25.00 will be refunded in full.`);
    expect(question).toContain('value="cancel_confirm">Yes, cancel</button>');
    expect((await t.payments.booking(held.id)).status).toBe("confirmed"); // asked, not yet cancelled

    const confirmed = await form("cancel_confirm");
    expect(confirmed.status).toBe(303);
    expect(await t.payments.booking(held.id)).toMatchObject({
      status: "cancelled",
      cancel_refund: "full",
      cancel_reason:
        "cancelled by the customer; the deposit of £25.00 is refunded in full: cancelled at least 48 h before the start",
    });
    await expect.poll(async () => (await refunds(held.id)).map((r) => r.status), POLL).toEqual(["refunded"]);
    const after = await (await t.hub.app.request(path)).text();
    expect(after).toContain("This booking has been cancelled.");
    expect(after).toContain("Your deposit of £25.00 is refunded in full.");
    expect(after).not.toContain("Cancel this booking");
    // Once cancelled, the page's cancel is refused with why.
    const late = await form("cancel_confirm");
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("This booking can no longer be cancelled here");
  });

  it("refunds in full when the customer taps Cancel, then Yes, cancel, in Telegram 3 days before", async () => {
    const b = await paidBooking(72);
    const tap = async (data: string) =>
      expect((await t.telegram.post(callbackUpdate({ chatId: b.chat, messageId: 900, data }))).status).toBe(200);
    await tap(`booking:cancel:${b.id}`);
    await expect
      .poll(() => texts(b.chat).join("\n"), POLL)
      .toContain("If you cancel now, your deposit of £25.00 will be refunded in full.");
    expect((await t.payments.booking(b.id)).status).toBe("confirmed"); // asked once more, not yet cancelled
    await tap(`booking:cancel_yes:${b.id}`);
    await expect.poll(async () => (await t.payments.booking(b.id)).status, POLL).toBe("cancelled");
    expect((await t.payments.booking(b.id)).cancel_refund).toBe("full");
    await expect
      .poll(async () => (await refunds(b.id)).map((r) => [r.status, r.amount, r.provider]), POLL)
      .toEqual([["refunded", 2500, "stripe"]]);
    expect(stripeRefundCalls((await refunds(b.id))[0].id)).toHaveLength(1);
    await expect.poll(() => texts(b.chat).join("\n"), POLL).toContain(`We have refunded £25.00 for ${b.reference}.`);
  });

  it("keeps the deposit when the customer cancels by tap 2 hours before", async () => {
    const b = await paidBooking(2);
    const tap = async (data: string) =>
      expect((await t.telegram.post(callbackUpdate({ chatId: b.chat, messageId: 901, data }))).status).toBe(200);
    await tap(`booking:cancel:${b.id}`);
    await expect.poll(() => texts(b.chat).join("\n"), POLL).toMatch(/£25\.00 is kept/);
    await tap(`booking:cancel_yes:${b.id}`);
    await expect.poll(async () => (await t.payments.booking(b.id)).cancel_refund, POLL).toBe("none");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await refunds(b.id)).toEqual([]);
  });

  it("keeps the deposit when the booking is cancelled 2 hours before its start", async () => {
    const b = await paidBooking(2);
    const callsBefore = stripeRefundCalls().length;
    const cancelled = await api("POST", `/bookings/${b.id}/cancel`, { reason: "Plans changed" }, operator.key);
    expect(cancelled).toMatchObject({ status: "cancelled", cancel_refund: "none" });
    expect(cancelled.cancel_reason).toBe(
      "Plans changed; the deposit of £25.00 is kept: cancelled less than 48 h before the start",
    );
    await expect
      .poll(() => texts(b.chat).join("\n"), POLL)
      .toContain("As our cancellation policy says, the deposit of £25.00 is kept");
    // Nothing goes back: no refund row, no call to Stripe, the attempt still paid.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await refunds(b.id)).toEqual([]);
    expect((await t.payments.list(b.id))[0].status).toBe("paid");
    expect(stripeRefundCalls()).toHaveLength(callsBefore);
  });

  it("lets only a manager override the policy", async () => {
    const late = await paidBooking(3);
    const refused = await t.request("POST", `/bookings/${late.id}/cancel`, {
      key: operator.key,
      body: { reason: "Goodwill", refund: "full" },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toBe('Only a manager may override the cancellation policy (refund "full").');
    expect((await t.payments.booking(late.id)).status).toBe("confirmed");

    const goodwill = await api("POST", `/bookings/${late.id}/cancel`, { reason: "Goodwill", refund: "full" });
    expect(goodwill).toMatchObject({ cancel_refund: "full" });
    expect(goodwill.cancel_reason).toBe("Goodwill; the deposit of £25.00 is refunded in full (override)");
    await expect.poll(async () => (await refunds(late.id)).map((r) => r.status), POLL).toEqual(["refunded"]);

    const early = await paidBooking(96);
    const kept = await api("POST", `/bookings/${early.id}/cancel`, { reason: "Broke the house rules", refund: "none" });
    expect(kept).toMatchObject({ cancel_refund: "none" });
    const [entry] = await t.hub.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, early.id), eq(auditLog.action, "booking.cancelled")));
    expect(entry).toMatchObject({ actorId: manager.id, after: { status: "cancelled" } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await refunds(early.id)).toEqual([]);
  });

  it("refunds part of a payment at a manager's request, up to what was paid, through Stripe", async () => {
    const b = await paidBooking(120, 4000);
    const path = `/payments/${b.attempt.id}/refunds`;
    const byOperator = await t.request("POST", path, { key: operator.key, body: { amount: 1000, note: "Late" } });
    expect(byOperator.status).toBe(403);

    const first = await t.request("POST", path, { key: manager.key, body: { amount: 1000, note: "Room was cold" } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({
      type: "refund",
      status: "open",
      amount: 1000,
      refund_of: b.attempt.id,
      requested_by: manager.id,
      note: "Room was cold",
    });
    await expect.poll(async () => (await refunds(b.id)).map((r) => r.status), POLL).toEqual(["refunded"]);
    expect((await t.payments.list(b.id)).find((p) => p.id === b.attempt.id).status).toBe("paid");
    await expect.poll(() => texts(b.chat).join("\n"), POLL).toContain(`We have refunded £10.00 for ${b.reference}.`);

    // Only £30.00 is left to refund: more is refused, with what is left, and nothing is written.
    const tooMuch = await t.request("POST", path, { key: manager.key, body: { amount: 3001, note: "All of it" } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.detail).toBe("amount: £30.01 is more than can be refunded: £30.00 of £40.00 paid is left.");
    expect(await refunds(b.id)).toHaveLength(1);
    const bad = await t.request("POST", path, { key: manager.key, body: { amount: 0, note: "x" } });
    expect(bad.status).toBe(400);

    // The rest: the payment is then refunded in full.
    const rest = await t.request("POST", path, { key: manager.key, body: { amount: 3000, note: "Goodwill" } });
    expect(rest.status).toBe(202);
    await expect
      .poll(async () => (await t.payments.list(b.id)).find((p) => p.id === b.attempt.id).status, POLL)
      .toBe("refunded");
    const again = await t.request("POST", path, { key: manager.key, body: { amount: 1, note: "One more" } });
    expect(again.status).toBe(409);
    expect(stripeRefundCalls(first.body.id)).toHaveLength(1);
    expect(stripeRefundCalls(rest.body.id)).toHaveLength(1);
    // The booking itself stands: a refund is money, not a cancellation.
    expect((await t.payments.booking(b.id)).status).toBe("confirmed");
  });

  it("settles a pending refund from Stripe's refund webhook, once; a failed one raises a task", async () => {
    const b = await paidBooking(150, 3000);
    t.payments.stripe!.refundsPending!(true);
    try {
      const path = `/payments/${b.attempt.id}/refunds`;
      const one = await api("POST", path, { amount: 1200, note: "Partial goodwill" });
      await expect.poll(async () => (await refunds(b.id))[0]?.provider_payment_id ?? null, POLL).not.toBeNull();
      expect((await refunds(b.id))[0].status).toBe("open");
      const refundId = (await refunds(b.id))[0].provider_payment_id as string;
      const settled = t.payments.stripe!.refundWebhook!(refundId, "succeeded");
      expect((await t.payments.webhook("stripe", settled)).body).toMatchObject({ result: "processed" });
      expect((await refunds(b.id))[0]).toMatchObject({ id: one.id, status: "refunded" });
      // A replay changes nothing.
      expect((await t.payments.webhook("stripe", settled)).body).toMatchObject({ result: "duplicate" });

      await api("POST", path, { amount: 500, note: "More goodwill" });
      await expect.poll(async () => (await refunds(b.id))[1]?.provider_payment_id ?? null, POLL).not.toBeNull();
      const second = (await refunds(b.id))[1];
      const failed = t.payments.stripe!.refundWebhook!(second.provider_payment_id, "failed");
      expect((await t.payments.webhook("stripe", failed)).body).toMatchObject({ result: "processed" });
      expect((await refunds(b.id))[1]).toMatchObject({
        status: "failed",
        failure_reason: "stripe reported refund.failed",
      });
      const raised = await t.hub.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.type, "payment.refund_failed"), sql`${tasks.payload}->>'refund_id' = ${second.id}`));
      expect(raised).toHaveLength(1);
      // What failed can be asked for again: £18.00 is still refundable.
      const retry = await t.request("POST", path, { key: manager.key, body: { amount: 1800, note: "Retry" } });
      expect(retry.status).toBe(202);
    } finally {
      t.payments.stripe!.refundsPending!(false);
    }
  });
});

describe("refunds of a bank transfer", () => {
  let p: PaymentTestHub;
  let managerA: { id: string; key: string };
  let managerB: { id: string; key: string };
  beforeAll(async () => {
    p = await startHub({ telegram: true, payments: { stripe: false, secondary: null } });
    managerA = await p.createUser("manager");
    managerB = await p.createUser("manager");
  });
  afterAll(() => p?.stop());

  it("becomes a task a manager marks done with a note; the customer is told and revenue is net", async () => {
    const b = await p.payments.acceptedBooking(3000);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(Buffer.from("%PDF-1.4\n%fake transfer\n"))]), "transfer.pdf");
    form.set("comment", "Bank statement line");
    const upload = await p.hub.app.request(`/payments/${attempt.id}/proofs`, {
      method: "POST",
      headers: { Authorization: `Bearer ${managerA.key}` },
      body: form,
    });
    expect(upload.status).toBe(201);
    const approved = await p.request("POST", `/payments/${attempt.id}/approve`, {
      key: managerB.key,
      body: { note: "Seen in the account" },
    });
    expect(approved.status).toBe(200);

    const asked = await p.request("POST", `/payments/${attempt.id}/refunds`, {
      key: managerA.key,
      body: { amount: 1000, note: "Party of one fewer" },
    });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ provider: "manual", status: "open", amount: 1000 });
    const [task] = await p.hub.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.type, "payment.manual_refund"), sql`${tasks.payload}->>'payment_id' = ${asked.body.id}`));
    expect(task).toMatchObject({ status: "open", title: `Refund by bank transfer: £10.00 for ${b.reference}` });

    // Not a refund of this kind, or no note: refused.
    expect(
      (await p.request("POST", `/payments/${attempt.id}/refund-sent`, { key: managerA.key, body: { note: "x" } }))
        .status,
    ).toBe(409);
    expect(
      (await p.request("POST", `/payments/${asked.body.id}/refund-sent`, { key: managerA.key, body: {} })).status,
    ).toBe(400);

    const sent = await p.request("POST", `/payments/${asked.body.id}/refund-sent`, {
      key: managerB.key,
      body: { note: "Sent from the business account, ref R-77" },
    });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ status: "refunded", type: "refund" });
    const [done] = await p.hub.db.select().from(tasks).where(eq(tasks.id, task!.id));
    expect(done!.status).toBe("done");
    await expect
      .poll(() => p.telegram.textsIn(b.chat).join("\n"), POLL)
      .toContain(`We have refunded £10.00 for ${b.reference}. We have sent it by bank transfer`);
    const [audit] = await p.hub.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, asked.body.id), eq(auditLog.action, "payment.refund_sent")));
    expect(audit).toMatchObject({ actorId: managerB.id, after: { note: "Sent from the business account, ref R-77" } });
    // Twice is refused.
    const twice = await p.request("POST", `/payments/${asked.body.id}/refund-sent`, {
      key: managerB.key,
      body: { note: "Again" },
    });
    expect(twice.status).toBe(409);
    // £30.00 in, £10.00 back, both today in London.
    await expect
      .poll(async () => {
        const [row] = await p.rows<{ revenue: string }>(
          sql`select coalesce(sum(revenue), 0)::text as revenue from inquiry_metrics_daily where date_london = ${londonDate(new Date())}::date and source = 'telegram'`,
        );
        return Number(row!.revenue);
      }, POLL)
      .toBe(2000);
  });
});

describe("refunds at Checkout.com, the secondary", () => {
  let p: PaymentTestHub;
  let manager: { id: string; key: string };
  beforeAll(async () => {
    p = await startHub({
      telegram: true,
      payments: { stripe: false, secondary: "checkout" },
      env: { PAYMENT_PROVIDER_TIMEOUT_MS: "10000" },
    });
    manager = await p.createUser("manager");
  });
  afterAll(() => p?.stop());

  it("keeps a partial refund pending until payment_refunded names it; the payment is refunded when they add up", async () => {
    const b = await p.payments.acceptedBooking(2000);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    await p.payments.checkout!.pay(attempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.checkout!.webhook("paid", attempt.provider_payment_id));
    await expect.poll(async () => (await p.payments.booking(b.bookingId)).status, POLL).toBe("confirmed");
    const refunds = async () => (await p.payments.list(b.bookingId)).filter((r) => r.type === "refund");
    const attemptStatus = async () => (await p.payments.list(b.bookingId)).find((r) => r.id === attempt.id).status;

    for (const [amount, after] of [
      [800, "paid"],
      [1200, "refunded"],
    ] as const) {
      const asked = await p.request("POST", `/payments/${attempt.id}/refunds`, {
        key: manager.key,
        body: { amount, note: "Goodwill" },
      });
      expect(asked.status).toBe(202);
      // Checkout.com accepts a refund (202) and settles it later: the row waits with the refund's action id.
      await expect
        .poll(async () => (await refunds()).find((r) => r.id === asked.body.id)?.provider_payment_id ?? null, POLL)
        .toMatch(/^act_/);
      expect((await refunds()).find((r) => r.id === asked.body.id).status).toBe("open");
      const told = await p.payments.webhook(
        "secondary",
        p.payments.checkout!.webhook("refunded", attempt.provider_payment_id),
      );
      expect(told.body).toMatchObject({ result: "processed" });
      expect((await refunds()).find((r) => r.id === asked.body.id).status).toBe("refunded");
      expect(await attemptStatus()).toBe(after);
    }
    // Refunded by the hub, in two parts: no "refunded at the provider" task for a person to decide on.
    const [raised] = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from tasks where type = 'payment.refunded_at_provider' and payload->>'payment_id' = ${attempt.id}`,
    );
    expect(raised!.n).toBe(0);
  });
});

describe("refunds at Revolut, the secondary", () => {
  let p: PaymentTestHub;
  let manager: { id: string; key: string };
  beforeAll(async () => {
    p = await startHub({
      telegram: true,
      payments: { stripe: false, secondary: "revolut" },
      env: { PAYMENT_PROVIDER_TIMEOUT_MS: "10000" },
    });
    manager = await p.createUser("manager");
  });
  afterAll(() => p?.stop());

  it("settles each refund order from its own webhook: a partial one leaves the payment paid, a failed one is failed", async () => {
    const b = await p.payments.acceptedBooking(3000);
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(attempt.provider_name).toBe("revolut");
    await p.payments.revolut!.pay(attempt.provider_payment_id);
    await p.payments.webhook("secondary", p.payments.revolut!.webhook("paid", attempt.provider_payment_id));
    await expect.poll(async () => (await p.payments.booking(b.bookingId)).status, POLL).toBe("confirmed");
    const refund = async (id: string) => (await p.payments.list(b.bookingId)).find((r) => r.id === id);
    const ask = async (amount: number) => {
      const asked = await p.request("POST", `/payments/${attempt.id}/refunds`, {
        key: manager.key,
        body: { amount, note: "Goodwill" },
      });
      expect(asked.status).toBe(202);
      // Revolut answers with a refund order still processing: the row waits with its id.
      await expect.poll(async () => (await refund(asked.body.id))?.provider_payment_id ?? null, POLL).not.toBeNull();
      expect((await refund(asked.body.id)).status).toBe("open");
      return (await refund(asked.body.id)) as { id: string; provider_payment_id: string };
    };

    const first = await ask(1000);
    const done = p.payments.revolut!.refundWebhook!(first.provider_payment_id, "succeeded");
    expect((await p.payments.webhook("secondary", done)).body).toMatchObject({ result: "processed" });
    expect((await refund(first.id)).status).toBe("refunded");
    expect((await refund(attempt.id)).status).toBe("paid");

    const second = await ask(500);
    const failed = p.payments.revolut!.refundWebhook!(second.provider_payment_id, "failed");
    expect((await p.payments.webhook("secondary", failed)).body).toMatchObject({ result: "processed" });
    expect((await refund(second.id)).status).toBe("failed");
    expect((await refund(attempt.id)).status).toBe("paid");
    await expect
      .poll(() => p.telegram.textsIn(b.chat).filter((text) => text.startsWith("We have refunded")), POLL)
      .toEqual([
        `We have refunded £10.00 for ${b.reference}. It goes back to the card you paid with; banks usually take 5 to 10 working days to show it.`,
      ]);
  });
});
