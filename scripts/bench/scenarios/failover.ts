// (f) Failover reaction: from Stripe's signed payment-failure webhook to the secondary's link in the customer's chat.
// Deposits are opened at Stripe first; then, one at a time on a hub with nothing left to do, the card is declined, the
// webhook posted, and the clock stopped when the fake Telegram Bot API receives the switch notice with the link.
import { untilDrained } from "../database";
import { type BenchContext, ms, quantile, verdict } from "../figures";
import { type Deposit, expectSwitched, linksIn, openDeposit, spread, untilSeen, withDepositHub } from "./deposits";

const WARM_UP = 3;
const MEASURED = 30;
const TARGET_P95_MS = 1000;

export async function failoverScenario(context: BenchContext): Promise<void> {
  await withDepositHub(context, {}, async (setup) => {
    const { outside, client, database } = setup;
    context.log(`failover: opening ${WARM_UP + MEASURED} deposits at Stripe`);
    const deposits: Deposit[] = [];
    for (let n = 0; n < WARM_UP + MEASURED; n++) deposits.push(await openDeposit(setup, n));

    context.log(`failover: ${WARM_UP} unmeasured, then ${MEASURED} measured, one after another`);
    const reactions: number[] = [];
    const answers: number[] = [];
    for (const [i, deposit] of deposits.entries()) {
      // Each one starts on a hub that has finished the work of the one before.
      await untilDrained(database.handle, Date.now());
      await outside.stripe.decline(deposit.sessionId);
      // payment_intent.payment_failed, signed with stripe.webhooks.generateTestHeaderString as Stripe signs it.
      const delivery = outside.stripe.webhook("failed", deposit.sessionId);
      const started = performance.now();
      await client.providerWebhook("stripe", delivery);
      const answered = performance.now();
      await untilSeen(`the secondary's link in chat ${deposit.chatId}`, () =>
        linksIn(outside, deposit).length >= 2 ? true : undefined,
      );
      const arrived = performance.now();
      await expectSwitched(setup, deposit);
      if (i < WARM_UP) continue;
      reactions.push(arrived - started);
      answers.push(answered - started);
    }

    const p95 = quantile(reactions, 0.95);
    context.figures.push(
      {
        figure: `failover: Stripe's failure webhook → secondary's link in the chat (n = ${MEASURED})`,
        measured: spread(reactions, ms),
        against: `p95 ≤ ${TARGET_P95_MS} ms`,
        verdict: verdict(p95 <= TARGET_P95_MS),
      },
      {
        figure: "failover: of which POST /webhooks/stripe answered",
        measured: spread(answers, ms),
        against: "reported",
        verdict: "reported",
      },
    );
  });
}
