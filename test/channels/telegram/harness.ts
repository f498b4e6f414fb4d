// A hub with the Telegram channel on, its Bot API faked on loopback, and a way to post updates to the webhook.
import { sql } from "drizzle-orm";
import { startTestHub, type TestHub } from "../../support/hub";
import type { HubOptions } from "../../../hub/composition";
import { startFakeBotApi, type FakeBotApi } from "./fake-bot-api";

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";

export interface TelegramTestHub {
  t: TestHub;
  fake: FakeBotApi;
  env: Record<string, string>;
  post(update: unknown, secret?: string | null): Promise<{ status: number; body: string }>;
  counts(): Promise<{ inquiries: number; inbound: number; webhookEvents: number }>;
  stop(): Promise<void>;
}

export async function startTelegramHub(
  overrides: Partial<HubOptions> = {},
  extraEnv: Record<string, string> = {},
): Promise<TelegramTestHub> {
  const fake = await startFakeBotApi();
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.url,
    ...extraEnv,
  };
  const t = await startTestHub(overrides, { env });
  return {
    t,
    fake,
    env,
    async post(update, secret = WEBHOOK_SECRET) {
      const res = await t.hub.app.request("/webhooks/telegram", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }),
        },
        body: typeof update === "string" ? update : JSON.stringify(update),
      });
      return { status: res.status, body: await res.text() };
    },
    async counts() {
      const [row] = await t.hub.database.rows<{ inquiries: string; inbound: string; webhook_events: string }>(sql`select
        (select count(*) from inquiries)::text as inquiries,
        (select count(*) from messages where direction = 'inbound')::text as inbound,
        (select count(*) from webhook_events)::text as webhook_events`);
      return {
        inquiries: Number(row!.inquiries),
        inbound: Number(row!.inbound),
        webhookEvents: Number(row!.webhook_events),
      };
    },
    async stop() {
      await t.stop();
      await fake.close();
    },
  };
}
