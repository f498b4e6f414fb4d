// The hub the no-5xx guard drives: every channel and payment provider on (faked on loopback), its log captured, and
// one row of each kind to aim at (an inquiry, a booking with its booking page, Stripe, Revolut and manual payments, a
// proof, partners, staff and a linked Telegram account).
import pino from "pino";
import { VERIFY_TOKEN } from "../../channels/whatsapp/cloud-fixtures";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { startHub, type PaymentTestHub, type TestHub } from "../hub";
import { BOOTSTRAP_ADMIN_ID } from "../../../hub/auth/users";
import { examples } from "./examples";
import type { OpenApiDocument, RealValues } from "./schema-values";

/** Error and fatal in pino's numbering. */
const ERROR_LEVEL = 50;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface FuzzWorld {
  p: PaymentTestHub & TestHub<{ whatsapp: "cloud" }>;
  doc: OpenApiDocument;
  real: RealValues;
  /** Bodies the hub takes, by "METHOD /path", for the guard to mutate. */
  examples: ReturnType<typeof examples>;
  keys: { admin: string; operator: string; manager: string };
  /** A partner kept for signed intake: the staff routes never see its code, so its secret and status stay put. */
  signer: { code: string; secret: string };
  /** Telegram chats: customers' and one linked to the operator. */
  chats: { customers: number[]; operator: number };
  /** Makes the rows to aim at; run in beforeAll, after the routes (from the running hub) are collected. */
  seed(): Promise<void>;
  /** Error-level lines logged since the index `from`. */
  errorsSince(from: number): LogLine[];
  lineCount(): number;
  stop(): Promise<void>;
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const lines: LogLine[] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const p = await startHub({
    telegram: true,
    payments: {},
    whatsapp: "cloud",
    env: {
      PUBLIC_URL: "https://hub.example.co.uk",
      // Thousands of posts from one test client: the limit itself has tests of its own.
      WEB_FORM_RATE_LIMIT_MAX: "100000",
    },
    overrides: { logger },
  });
  const doc = (await p.request("GET", "/openapi.json", { key: null })).body as OpenApiDocument;
  const world: FuzzWorld = {
    p,
    doc,
    real: {},
    examples: {},
    keys: { admin: p.adminKey, operator: "", manager: "" },
    signer: { code: "", secret: "" },
    chats: { customers: [], operator: 0 },
    seed: () => seed(world),
    errorsSince: (from) => lines.slice(from).filter((l) => l.level >= ERROR_LEVEL),
    lineCount: () => lines.length,
    stop: () => p.stop(),
  };
  return world;
}

async function seed(world: FuzzWorld): Promise<void> {
  const p = world.p;
  const t = p;
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { body });
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`fuzz setup: ${method} ${path} answered ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const operator = await t.createUser("operator", "Olga Fuzz");
  const manager = await t.createUser("manager", "Max Fuzz");
  const partner = await t.createPartner();
  const signer = await t.createPartner();

  const resource = await ok("POST", "/resources", { name: "Fuzz room", capacity: 12, tags: ["window"] });
  const block = await ok("POST", `/resources/${resource.id}/blocks`, {
    starts_at: "2027-04-01T09:00",
    ends_at: "2027-04-01T12:00",
    reason: "Painting",
  });
  const phoneLead = await ok("POST", "/inquiries", {
    source: "phone",
    client: { phone: "07911 100777", name: "Pat Phone" },
    duration_seconds: 60,
    call_result: "answered_interested",
    operator_id: operator.id,
  });
  const held = await ok("POST", "/bookings", {
    inquiry_id: phoneLead.id,
    resource_id: resource.id,
    start_at: "2027-05-06T19:00",
    duration_minutes: 90,
    deposit_amount: 2000,
  });
  const proposal = await ok("POST", `/bookings/${held.id}/propose`);

  // A deposit on Stripe, and one that fell through Stripe and Revolut to manual, with a proof sent for it.
  const stripeBooking = await p.payments.acceptedBooking();
  const [stripePayment] = await attempts(p, stripeBooking.bookingId, 1);
  p.payments.stripe!.failNext(500);
  const manualBooking = await p.payments.acceptedBooking(4000);
  const [, revolutPayment] = await attempts(p, manualBooking.bookingId, 2);
  await p.payments.revolut!.decline(revolutPayment.provider_payment_id);
  await p.payments.webhook("secondary", p.payments.revolut!.webhook("failed", revolutPayment.provider_payment_id));
  const [, , manualPayment] = await attempts(p, manualBooking.bookingId, 3);
  const form = new FormData();
  form.set("file", new Blob([new Uint8Array(PNG)]), "proof.png");
  form.set("comment", "The customer's transfer");
  const proofRes = await t.hub.app.request(`/payments/${manualPayment.id}/proofs`, {
    method: "POST",
    headers: { Authorization: `Bearer ${operator.key}` },
    body: form,
  });
  if (proofRes.status !== 201)
    throw new Error(`fuzz setup: proof upload answered ${proofRes.status} ${await proofRes.text()}`);
  const proof = (await proofRes.json()) as { id: string };

  // The operator's Telegram account, linked, so staff commands reach their handlers.
  const operatorChat = newChatId();
  const link = await ok("POST", `/operators/${operator.id}/telegram-link`);
  await p.telegram.post(textUpdate({ chatId: operatorChat, messageId: 1 }, `/link ${link.code}`));

  const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;
  world.real = {
    inquiry: [phoneLead.id, phoneLead.reference, stripeBooking.inquiryId, manualBooking.inquiryId],
    booking: [held.id, held.reference, stripeBooking.bookingId, stripeBooking.reference, manualBooking.bookingId],
    resource: [resource.id],
    block: [block.id],
    payment: [stripePayment.id, revolutPayment.id, manualPayment.id],
    proof: [proof.id],
    partner: [partner.code as string],
    operator: [operator.id, manager.id, BOOTSTRAP_ADMIN_ID],
    bookingToken: [tokenOf(proposal.booking_url)],
    payToken: [tokenOf(stripePayment.pay_url), tokenOf(manualPayment.pay_url)],
    session: [stripePayment.provider_payment_id],
    order: [revolutPayment.provider_payment_id],
    job: ["1", "events:1"],
    verifyToken: [VERIFY_TOKEN],
    asset: ["swagger-ui.css", "start.js", "favicon-32x32.png"],
  };
  world.examples = examples(world.real);
  world.keys = { admin: t.adminKey, operator: operator.key, manager: manager.key };
  world.signer = { code: signer.code as string, secret: signer.signing_secret as string };
  world.chats = { customers: [stripeBooking.chat, manualBooking.chat, newChatId()], operator: operatorChat };
}

/**
 * The booking's payment attempts once there are `count` and the last is settled: PaymentTestHub.attempts without
 * expect.poll, which only works inside a test, and this runs in a hook.
 */
async function attempts(p: PaymentTestHub, bookingId: string, count: number) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const list = (await p.payments.list(bookingId)).filter((a) => a.type !== "refund");
    if (list.length >= count && list[count - 1].status !== "creating") return list;
    if (Date.now() > deadline)
      throw new Error(`fuzz setup: booking ${bookingId} has ${JSON.stringify(list)}, not ${count} settled attempts`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The 8-byte PNG signature and an IHDR chunk: enough for the proof's type to be read from its bytes. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);
