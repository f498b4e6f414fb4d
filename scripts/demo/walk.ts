// The product, walked once through its real APIs: a Telegram lead, the operator's reply, a booking accepted in the
// chat, Stripe failing, Revolut failing, a manual payment approved, the confirmation and the day's report.
import { randomInt } from "node:crypto";
import { addDays, londonDate, weekDayOf } from "../../hub/core/time";
import { customerTap, customerText, waitFor, type Customer, type HubClient } from "./hub-client";
import type { Outside } from "./outside";

/** Each step's headline, as printed: the test of the demo looks for every one. */
export const STEPS = [
  "A customer writes to the bot on Telegram",
  "The operator answers from the API",
  "The operator proposes a table",
  "The customer accepts in the chat",
  "Stripe fails",
  "The same link now leads to Revolut",
  "Revolut fails too",
  "A proof of the bank transfer, and a manager's approval",
  "The confirmation in the customer's chat",
  "The day's report",
] as const;

/** The 8-byte PNG signature and an IHDR chunk: enough for the hub to know a picture of a bank receipt. */
const RECEIPT_PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);
const DEPOSIT_PENCE = 2500;

/** The parts of the API's answers the walk reads. */
interface Staff {
  id: string;
  api_key: string;
}
interface Attempt {
  id: string;
  type: string;
  status: string;
  attempt_number: number;
  provider: string;
  provider_name: string;
  provider_payment_id: string;
  is_fallback: boolean;
  pay_url: string;
}
interface ReportRow {
  date_london: string;
  source: string;
  total_count: number;
  converted_count: number;
  conversion_rate: number;
  revenue: number;
}
type Named = { id: string; name: string; reference: string; status: string; source: string; sla_deadline_at: string };

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;

export async function walk(hub: HubClient, outside: Outside, adminKey: string, say: (line: string) => void) {
  let step = 0;
  const headline = (text: string) => say(`\n${String(++step).padStart(2)}. ${STEPS[step - 1]}: ${text}`);
  const detail = (text: string) => say(`    ${text.replace(/\n/g, "\n      ")}`);

  // A Telegram user id of its own for each run, so that a kept data folder can be walked again.
  const id = randomInt(1_000_000_000, 2_000_000_000);
  const ann: Customer = {
    chatId: id,
    user: { id, is_bot: false, first_name: "Ann", last_name: "Example", language_code: "en" },
  };
  let seen = 0;
  /** What the fake Telegram delivered to Ann's chat since the last look, once there is at least `count` more. */
  const annReceived = async (what: string, count = 1) => {
    const texts = await waitFor(what, () => {
      const all = outside.telegram.sent.filter((m) => m.chat_id === String(ann.chatId));
      return all.length >= seen + count ? all : undefined;
    });
    const fresh = texts.slice(seen);
    seen = texts.length;
    for (const message of fresh) detail(`Ann's Telegram chat received: “${message.text}”`);
    return fresh;
  };

  const olivia = await hub.must<Staff>(201, "POST", "/operators", adminKey, { name: "Olivia", role: "operator" });
  const max = await hub.must<Staff>(201, "POST", "/operators", adminKey, { name: "Max", role: "manager" });
  const room = await hub.must<Named>(201, "POST", "/resources", adminKey, {
    name: "Garden Room",
    capacity: 6,
  });

  const ask = "Hi! Could we have a table for four next Friday evening?";
  headline(`Ann sends “${ask}”`);
  await hub.telegram(customerText(ann, 1, ask));
  const [ack] = await annReceived("the acknowledgement in Ann's chat");
  const reference = /Your reference is (\S+?)\./.exec(ack!.text)?.[1];
  if (!reference) throw new Error(`no reference in the acknowledgement: ${ack!.text}`);
  const inquiry = await hub.must<Named>(200, "GET", `/inquiries/${reference}`, olivia.api_key);
  detail(
    `The hub opened inquiry ${reference} (source ${inquiry.source}, answer due by ${inquiry.sla_deadline_at} London time).`,
  );

  const reply = "Hello Ann, yes: we have the Garden Room for you. I will send you an offer now.";
  headline(`Olivia (operator) sends “${reply}” with POST /inquiries/${reference}/messages`);
  await hub.must(202, "POST", `/inquiries/${reference}/messages`, olivia.api_key, { text: reply });
  await annReceived("Olivia's reply in Ann's chat");

  const today = londonDate(new Date());
  let friday = addDays(today, 7);
  while (weekDayOf(friday) !== "fri") friday = addDays(friday, 1);
  const held = await hub.must<Named>(201, "POST", "/bookings", olivia.api_key, {
    inquiry_id: reference,
    resource_id: room.id,
    start_at: `${friday}T19:00`,
    duration_minutes: 120,
    party_size: 4,
    deposit_amount: DEPOSIT_PENCE,
  });
  headline(
    `${room.name}, ${friday} 19:00 London time, deposit ${pounds(DEPOSIT_PENCE)} (POST /bookings, then /propose)`,
  );
  await hub.must(200, "POST", `/bookings/${held.id}/propose`, olivia.api_key);
  const [offer] = await annReceived("the offer in Ann's chat");
  detail("under it, two buttons: [Accept] [Decline]");

  headline(`Ann taps Accept under the offer for ${held.reference}`);
  await hub.telegram(customerTap(ann, offer!.message_id, `booking:accept:${held.id}`));
  await annReceived("the acceptance and the payment link in Ann's chat", 2);
  const stripeAttempt = await attempt(hub, olivia.api_key, held.id, 1);
  detail(`${held.reference} awaits its deposit; attempt #1 is on Stripe (${stripeAttempt.provider_payment_id}).`);

  headline("Ann's card is declined on Stripe's page, and Stripe's signed webhook says so");
  await outside.stripe.decline(stripeAttempt.provider_payment_id);
  await hub.providerWebhook("stripe", outside.stripe.webhook("failed", stripeAttempt.provider_payment_id));
  const revolutAttempt = await attempt(hub, olivia.api_key, held.id, 2);
  detail(
    `The hub closed the Stripe page and opened attempt #${revolutAttempt.attempt_number} on the secondary provider, ${revolutAttempt.provider_name} (fallback: ${revolutAttempt.is_fallback}).`,
  );
  await annReceived("the switch notice in Ann's chat");

  const payPath = new URL(stripeAttempt.pay_url).pathname;
  const redirect = await hub.call("GET", payPath, null);
  headline(`GET ${payPath}, the link Ann got before the switch`);
  detail(`answers ${redirect.status}, Location: ${redirect.headers.get("location")}`);

  headline("Ann's payment is declined on Revolut's page, and Revolut's signed webhook says so");
  await outside.revolut.decline(revolutAttempt.provider_payment_id);
  await hub.providerWebhook("secondary", outside.revolut.webhook("failed", revolutAttempt.provider_payment_id));
  const manual = await attempt(hub, olivia.api_key, held.id, 3);
  detail(`Attempt #${manual.attempt_number} is ${manual.provider}: a person has to check the money arrived.`);
  await annReceived("the bank-transfer instructions in Ann's chat");

  headline("Olivia uploads Ann's transfer receipt; Max (manager) approves it");
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(RECEIPT_PNG)], { type: "image/png" }), "receipt.png");
  form.set("comment", "Ann's screenshot of her bank transfer");
  const proof = await hub.must<{ content_type: string; size_bytes: number }>(
    201,
    "POST",
    `/payments/${manual.id}/proofs`,
    olivia.api_key,
    form,
  );
  detail(`POST /payments/${manual.id}/proofs: ${proof.content_type}, ${proof.size_bytes} bytes, by Olivia`);
  const refused = await hub.call<{ detail?: string }>("POST", `/payments/${manual.id}/approve`, olivia.api_key, {
    note: "Looks fine",
  });
  detail(`Olivia may not approve it herself: ${refused.status} “${refused.body?.detail}”`);
  const approved = await hub.must<{ status: string }>(200, "POST", `/payments/${manual.id}/approve`, max.api_key, {
    note: `Seen on the bank statement of ${today}`,
  });
  detail(`Max approves it: the payment is ${approved.status}.`);

  headline(`${held.reference} is confirmed`);
  await annReceived("the confirmation in Ann's chat");
  const booking = await hub.must<Named>(200, "GET", `/bookings/${held.id}`, olivia.api_key);
  detail(`GET /bookings/${held.reference}: ${booking.status}`);

  const reportPath = `/reports/daily?from=${today}&to=${today}&source=telegram`;
  const report = await hub.call<{ items?: ReportRow[] }>("GET", reportPath, max.api_key);
  headline(`GET ${reportPath}`);
  const row = report.status === 200 ? report.body.items?.[0] : undefined;
  if (row)
    detail(
      `${row.date_london} ${row.source}: ${row.total_count} ${row.total_count === 1 ? "inquiry" : "inquiries"}, ` +
        `${row.converted_count} converted (rate ${row.conversion_rate}), revenue ${pounds(row.revenue)}`,
    );
  else detail(`(no report row: the hub answered ${report.status})`);
}

/** The booking's payment attempt #`number`, once it is there and has its provider's answer. */
async function attempt(hub: HubClient, key: string, bookingId: string, number: number): Promise<Attempt> {
  return waitFor(`payment attempt #${number}`, async () => {
    const { items } = await hub.must<{ items: Attempt[] }>(200, "GET", `/bookings/${bookingId}/payments`, key);
    return items.find((p) => p.type !== "refund" && p.attempt_number === number && p.status === "open");
  });
}
