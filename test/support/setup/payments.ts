// Payment providers for a test hub, faked on loopback: Stripe, and Revolut or Checkout.com as the secondary; the
// settings that point the hub at them, and helpers to sign their webhooks and to get a booking to pay for.
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { expect } from "vitest";
import type { Headers } from "../../../payments/provider";
import { ckoSignature } from "../../../payments/secondary/checkout";
import { newChatId, textUpdate } from "../../channels/telegram/updates";
import { startFakeCheckout, type FakeCheckout } from "../fakes/checkout";
import { randomRevolutSecret, signRevolutWebhook, startFakeRevolut, type FakeRevolut } from "../fakes/revolut";
import { startFakeStripe, type FakeStripe } from "../fakes/stripe";
import type { BaseTestHub } from "../hub";
import type { FakeTelegram } from "./telegram";

export const POLL = { timeout: 15_000, interval: 50 };
const STRIPE = { secretKey: "sk_test_fakehubkey0123456789", webhookSecret: "whsec_fakehubsecret0123456789" };
const REVOLUT_KEY = "sk_revolut_fake_0123456789";
const CHECKOUT = {
  secretKey: "sk_sbox_fakecheckout0123456789",
  webhookSecret: "cko-webhook-secret-0123456789",
  channel: "pc_fakechannel01",
};

export interface PaymentSetup {
  /** The fake Stripe as primary; on unless false. */
  stripe?: boolean;
  /** The secondary provider faked; Revolut unless given (null: none). */
  secondary?: "revolut" | "checkout" | null;
}

export interface FakePayments {
  stripe: FakeStripe | undefined;
  revolut: FakeRevolut | undefined;
  checkout: FakeCheckout | undefined;
  /** Posts a signed delivery to /webhooks/{slot}. */
  webhook(
    slot: "stripe" | "secondary",
    delivery: { body: string; headers: Headers },
  ): Promise<{ status: number; body: any; contentType: string | null }>;
  /**
   * Any raw body signed with the hub's secret as the provider signs it: for bodies the fakes never send. `at` is the
   * signature's time in milliseconds (Stripe's header keeps whole seconds); now unless given.
   */
  sign(provider: "stripe" | "revolut" | "checkout", body: string, at?: number): { body: string; headers: Headers };
  /**
   * A Telegram lead (needs `telegram: true`), a resource of its own, a booking held for it and accepted by phone
   * (POST /bookings/{id}/accept).
   */
  acceptedBooking(deposit?: number): Promise<{ bookingId: string; reference: string; inquiryId: string; chat: number }>;
  /** The booking's attempts, in order, once there are `count` and the last is not `creating`. */
  attempts(bookingId: string, count: number): Promise<any[]>;
  /** GET /bookings/{id}/payments: the booking's attempts and refunds. */
  list(bookingId: string): Promise<any[]>;
  booking(bookingId: string): Promise<any>;
}

let slot = 0;

export async function startPayments(setup: PaymentSetup) {
  const stripe = setup.stripe === false ? undefined : await startFakeStripe(STRIPE);
  const revolutSecret = randomRevolutSecret();
  const secondary = setup.secondary === undefined ? "revolut" : setup.secondary;
  const revolut =
    secondary === "revolut" ? await startFakeRevolut({ apiKey: REVOLUT_KEY, webhookSecret: revolutSecret }) : undefined;
  const checkout =
    secondary === "checkout"
      ? await startFakeCheckout({ secretKey: CHECKOUT.secretKey, webhookSecret: CHECKOUT.webhookSecret })
      : undefined;
  const env: Record<string, string> = {
    PAYMENT_PROVIDER_TIMEOUT_MS: "2000",
    ...(stripe
      ? { STRIPE_SECRET_KEY: STRIPE.secretKey, STRIPE_WEBHOOK_SECRET: STRIPE.webhookSecret, STRIPE_API_URL: stripe.url }
      : {}),
    ...(revolut
      ? {
          SECONDARY_PROVIDER: "revolut",
          REVOLUT_API_KEY: REVOLUT_KEY,
          REVOLUT_WEBHOOK_SECRET: revolutSecret,
          REVOLUT_API_URL: revolut.url,
        }
      : {}),
    ...(checkout
      ? {
          SECONDARY_PROVIDER: "checkout",
          CHECKOUT_SECRET_KEY: CHECKOUT.secretKey,
          CHECKOUT_WEBHOOK_SECRET: CHECKOUT.webhookSecret,
          CHECKOUT_PROCESSING_CHANNEL_ID: CHECKOUT.channel,
          CHECKOUT_API_URL: checkout.url,
        }
      : {}),
  };

  const attach = (t: BaseTestHub, telegram: FakeTelegram | undefined): FakePayments => {
    const list = async (bookingId: string) =>
      (await t.request("GET", `/bookings/${bookingId}/payments`)).body.items as any[];
    return {
      stripe,
      revolut,
      checkout,
      async webhook(slotName, delivery) {
        const res = await t.hub.app.request(`/webhooks/${slotName}`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(delivery.headers as Record<string, string>) },
          body: delivery.body,
        });
        const text = await res.text();
        return {
          status: res.status,
          body: text ? JSON.parse(text) : undefined,
          contentType: res.headers.get("content-type"),
        };
      },
      sign(provider, body, at = Date.now()) {
        if (provider === "revolut") return signRevolutWebhook(revolutSecret, body, at);
        if (provider === "checkout")
          return { body, headers: { "cko-signature": ckoSignature(body, CHECKOUT.webhookSecret) } };
        const header = Stripe.webhooks.generateTestHeaderString({
          payload: body,
          secret: STRIPE.webhookSecret,
          timestamp: Math.floor(at / 1000),
        });
        return { body, headers: { "stripe-signature": header } };
      },
      async acceptedBooking(deposit = 2500) {
        if (!telegram) throw new Error("acceptedBooking() takes its lead from Telegram: start the hub with telegram");
        const chat = newChatId();
        await telegram.post(textUpdate({ chatId: chat, messageId: 1 }, "A table for two please"));
        const [lead] = await t.rows<{ id: string }>(
          sql`select id::text from inquiries where external_chat_id = ${String(chat)}`,
        );
        const resource = await t.request("POST", "/resources", { body: { name: `Room ${++slot}`, capacity: 8 } });
        expect(resource.status).toBe(201);
        const held = await t.request("POST", "/bookings", {
          body: {
            inquiry_id: lead!.id,
            resource_id: resource.body.id,
            start_at: "2027-03-05T19:00",
            duration_minutes: 120,
            party_size: 2,
            deposit_amount: deposit,
          },
        });
        expect(held.status).toBe(201);
        const accepted = await t.request("POST", `/bookings/${held.body.id}/accept`);
        expect(accepted.status).toBe(200);
        return { bookingId: held.body.id, reference: held.body.reference, inquiryId: lead!.id, chat };
      },
      async attempts(bookingId, count) {
        await expect
          .poll(async () => {
            const attempts = (await list(bookingId)).filter((p) => p.type !== "refund");
            return attempts.length >= count && attempts[count - 1].status !== "creating";
          }, POLL)
          .toBe(true);
        return (await list(bookingId)).filter((p) => p.type !== "refund");
      },
      list,
      booking: async (bookingId) => (await t.request("GET", `/bookings/${bookingId}`)).body,
    };
  };

  return {
    env,
    attach,
    close: async () => {
      await Promise.all([stripe?.close(), revolut?.close(), checkout?.close()]);
    },
  };
}

/** The path and query of /pay/{token} from a payment view's pay_url. */
export const payPath = (payUrl: string) => new URL(payUrl).pathname;
