// A payment provider that hangs: the calls give up after PAYMENT_PROVIDER_TIMEOUT_MS and fail over to the secondary,
// and meanwhile intake answers as fast as it did without the hang (the provider calls run in jobs, holding no
// database connection while they wait).
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHub, type PaymentTestHub } from "../support/hub";

const TIMEOUT_MS = 8000;
const HANGING_CALLS = 3;
const SAMPLES = 20;

describe("a hanging payment provider", () => {
  let p: PaymentTestHub;
  beforeAll(async () => {
    // Long enough that the hanging calls are still waiting when the latency sample ends, even on a loaded machine.
    p = await startHub({ telegram: true, payments: {}, env: { PAYMENT_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) } });
  });
  afterAll(async () => {
    p?.payments.stripe?.hang(0);
    await p?.stop();
  });

  let leads = 0;
  /** p95 (nearest rank) of SAMPLES intakes, one after another, in milliseconds. */
  const intakeP95 = async () => {
    const ms: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const res = await p.request("POST", "/inquiries", {
        body: { source: "web_form", message: "Table for two", client: { email: `hang-${++leads}@example.com` } },
      });
      ms.push(performance.now() - started);
      expect(res.status).toBe(201);
    }
    ms.sort((a, b) => a - b);
    return ms[Math.ceil(0.95 * SAMPLES) - 1]!;
  };
  const sessionCreates = () =>
    p.payments.stripe!.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions").length;

  it("times out and fails over while intake latency stays what it was without the hang", async () => {
    await intakeP95(); // warm-up: the first requests load and compile what intake runs
    const without = await intakeP95();

    const before = sessionCreates();
    p.payments.stripe!.hang(TIMEOUT_MS + 2000);
    const bookings = [];
    for (let i = 0; i < HANGING_CALLS; i++) bookings.push(await p.payments.acceptedBooking());
    // Every call is at Stripe, waiting, before the sample starts.
    await expect.poll(sessionCreates, { timeout: 15_000, interval: 20 }).toBe(before + HANGING_CALLS);
    const hanging = await intakeP95();
    // ...and still waiting when it ends: the sample was taken during the hang.
    for (const b of bookings) expect((await p.payments.list(b.bookingId))[0]).toMatchObject({ status: "creating" });

    // Generous for a loaded 2-core machine, yet far below a call's wait (8 s) had intake queued behind one.
    expect(hanging, `p95 ${hanging.toFixed(1)} ms with the hang, ${without.toFixed(1)} ms without`).toBeLessThan(
      3 * without + 250,
    );

    // The timeout holds and each deposit moves to the secondary.
    for (const b of bookings) {
      const [first, second] = await p.payments.attempts(b.bookingId, 2);
      expect(first).toMatchObject({
        provider: "stripe",
        status: "failed",
        failure_reason: expect.stringContaining(`did not answer create within ${TIMEOUT_MS} ms`),
      });
      expect(second).toMatchObject({ provider: "secondary", status: "open", is_fallback: true });
    }
    p.payments.stripe!.hang(0);
  }, 90_000);
});
