// The outside world of the demo, on loopback: stand-ins for the Telegram Bot API, Stripe and Revolut, and the settings
// that point the hub at them. Every secret is made up at start; nothing leaves this machine.
import { randomBytes } from "node:crypto";
import { BOT_TOKEN, startFakeBotApi, type FakeBotApi } from "./fakes/telegram-bot-api";
import { randomRevolutSecret, startFakeRevolut, type FakeRevolut } from "./fakes/revolut";
import { startFakeStripe, type FakeStripe } from "./fakes/stripe";

export interface Outside {
  telegram: FakeBotApi;
  stripe: FakeStripe;
  revolut: FakeRevolut;
  /** The hub's settings for the three of them. */
  env: Record<string, string>;
  /** What Telegram sends in X-Telegram-Bot-Api-Secret-Token with each update. */
  telegramSecret: string;
  close(): Promise<void>;
}

const letters = (n: number) => randomBytes(n).toString("hex");

export async function startOutside(): Promise<Outside> {
  const stripeKeys = { secretKey: `sk_test_${letters(12)}`, webhookSecret: `whsec_${letters(16)}` };
  const revolutKeys = { apiKey: `sk_${letters(16)}`, webhookSecret: randomRevolutSecret() };
  const telegramSecret = `demo${letters(12)}`;
  const [telegram, stripe, revolut] = await Promise.all([
    startFakeBotApi(),
    startFakeStripe(stripeKeys),
    startFakeRevolut(revolutKeys),
  ]);
  return {
    telegram,
    stripe,
    revolut,
    telegramSecret,
    env: {
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      TELEGRAM_API_ROOT: telegram.url,
      STRIPE_SECRET_KEY: stripeKeys.secretKey,
      STRIPE_WEBHOOK_SECRET: stripeKeys.webhookSecret,
      STRIPE_API_URL: stripe.url,
      SECONDARY_PROVIDER: "revolut",
      REVOLUT_API_KEY: revolutKeys.apiKey,
      REVOLUT_WEBHOOK_SECRET: revolutKeys.webhookSecret,
      REVOLUT_API_URL: revolut.url,
    },
    async close() {
      await Promise.all([telegram.close(), stripe.close(), revolut.close()]);
    },
  };
}
