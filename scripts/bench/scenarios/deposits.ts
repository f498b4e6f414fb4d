// The payment scenarios' hub: a child on a scratch PostgreSQL database pointed at the demo's loopback fakes (Telegram
// Bot API, Stripe, Revolut as the secondary), and deposits opened at Stripe through the hub's public API.
import { sql } from "drizzle-orm";
import { addDays, londonDate } from "../../../hub/core/time";
import { customerText, HubClient, waitFor } from "../../demo/hub-client";
import { type Outside, startOutside } from "../../demo/outside";
import { type BenchContext, quantile } from "../figures";
import { type PostgresHub, withPostgresHub } from "./postgres-hub";

export interface DepositHub extends PostgresHub {
  outside: Outside;
  client: HubClient;
  adminKey: string;
}

/** A booking awaiting its deposit, attempt #1 open at Stripe and its link already in the customer's chat. */
export interface Deposit {
  bookingId: string;
  /** The customer's Telegram chat, as the fake Bot API records it. */
  chatId: string;
  /** The one link the customer gets, `/pay/{token}`: the payment link and the switch notice both carry it. */
  payUrl: string;
  /** Attempt #1's Checkout Session at the fake Stripe. */
  sessionId: string;
}

interface Attempt {
  type: string;
  status: string;
  attempt_number: number;
  provider: string;
  provider_payment_id: string;
  is_fallback: boolean;
  pay_url: string;
}

export async function withDepositHub<T>(
  context: BenchContext,
  env: Record<string, string>,
  run: (setup: DepositHub) => Promise<T>,
): Promise<T> {
  const outside = await startOutside();
  try {
    return await withPostgresHub(
      context,
      (setup) =>
        run({
          ...setup,
          outside,
          client: new HubClient(setup.hub.url, outside.telegramSecret),
          adminKey: context.adminKey,
        }),
      { ...outside.env, ...env },
    );
  } finally {
    await outside.close();
  }
}

/** Messages in the chat that carry the pay link: the first is Stripe's, the second the secondary's. */
export const linksIn = (outside: Outside, deposit: Deposit) =>
  outside.telegram.sent.filter((m) => m.chat_id === deposit.chatId && m.text.includes(deposit.payUrl));

/**
 * A deposit as a customer meets it: a Telegram lead, a resource of its own, a booking held for it (POST /bookings)
 * and accepted (POST /bookings/{id}/accept); then the hub opens attempt #1 at Stripe and sends the link.
 */
export async function openDeposit(setup: DepositHub, n: number): Promise<Deposit> {
  const { client, outside, operatorKey, adminKey, database } = setup;
  const chat = 1_500_000_000 + n;
  const customer = {
    chatId: chat,
    user: { id: chat, is_bot: false as const, first_name: "Bench", last_name: `Customer ${n}`, language_code: "en" },
  };
  await client.telegram(customerText(customer, 1, "Hello, a table for two next week, please"));
  const inquiryId = await waitFor(`the inquiry of chat ${chat}`, async () => {
    const [row] = await database.handle.rows<{ id: string }>(
      sql`select id::text from inquiries where external_chat_id = ${String(chat)}`,
    );
    return row?.id;
  });
  const room = await client.must<{ id: string }>(201, "POST", "/resources", adminKey, {
    name: `Bench room ${n}`,
    capacity: 8,
  });
  const held = await client.must<{ id: string }>(201, "POST", "/bookings", operatorKey, {
    inquiry_id: inquiryId,
    resource_id: room.id,
    start_at: `${addDays(londonDate(new Date()), 14)}T19:00`,
    duration_minutes: 120,
    party_size: 2,
    deposit_amount: 2500,
  });
  await client.must(200, "POST", `/bookings/${held.id}/accept`, operatorKey);
  const first = await waitFor(`attempt #1 of booking ${held.id} open at Stripe`, async () => {
    const { items } = await client.must<{ items: Attempt[] }>(200, "GET", `/bookings/${held.id}/payments`, operatorKey);
    return items.find((a) => a.attempt_number === 1 && a.status === "open");
  });
  if (first.provider !== "stripe") throw new Error(`attempt #1 of booking ${held.id} went to ${first.provider}`);
  const deposit = {
    bookingId: held.id,
    chatId: String(chat),
    payUrl: first.pay_url,
    sessionId: first.provider_payment_id,
  };
  await waitFor(`the payment link in chat ${chat}`, () => linksIn(outside, deposit).length === 1 || undefined);
  return deposit;
}

/** Throws unless the deposit's attempt #2 is open at the secondary, as a fallback: the measured switch happened. */
export async function expectSwitched(setup: DepositHub, deposit: Deposit): Promise<void> {
  const { items } = await setup.client.must<{ items: Attempt[] }>(
    200,
    "GET",
    `/bookings/${deposit.bookingId}/payments`,
    setup.operatorKey,
  );
  const second = items.find((a) => a.type !== "refund" && a.attempt_number === 2);
  if (second?.provider !== "secondary" || second.status !== "open" || !second.is_fallback)
    throw new Error(`booking ${deposit.bookingId}: attempt #2 is ${JSON.stringify(second)}, not open at the secondary`);
}

/** Polls `check` every 5 ms (the resolution of a chat arrival's time), giving up after `ms`. */
export async function untilSeen<T>(what: string, check: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** p50, p95 and max of some milliseconds, for a figure's cell. */
export function spread(values: readonly number[], format: (v: number) => string): string {
  return `p50 ${format(quantile(values, 0.5))}, p95 ${format(quantile(values, 0.95))}, max ${format(Math.max(...values))}`;
}
