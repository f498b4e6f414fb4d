// Telegram for a test hub: the fake Bot API on loopback, the settings that point the hub at it, and updates posted
// to the hub's webhook as Telegram would post them.
import { sql } from "drizzle-orm";
import type { Hub } from "../../../hub/composition";
import { startFakeBotApi, type FakeBotApi } from "../fakes/telegram-bot-api";

export const WEBHOOK_SECRET = "test-webhook-secret-0123456789";

/** The fake Bot API (what the hub sent) plus the way in (updates to the webhook). */
export interface FakeTelegram extends FakeBotApi {
  /** Posts an update to /webhooks/telegram with the webhook secret (another one, or none with `null`). */
  post(update: unknown, secret?: string | null): Promise<{ status: number; body: string }>;
  counts(): Promise<{ inquiries: number; inbound: number; webhookEvents: number }>;
}

export async function startTelegram() {
  const fake = await startFakeBotApi();
  return {
    env: { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, TELEGRAM_API_ROOT: fake.url },
    close: () => fake.close(),
    attach(hub: Hub): FakeTelegram {
      return Object.assign(fake, {
        async post(update: unknown, secret: string | null = WEBHOOK_SECRET) {
          const res = await hub.app.request("/webhooks/telegram", {
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
          const [row] = await hub.database.rows<{ inquiries: string; inbound: string; webhook_events: string }>(sql`
            select (select count(*) from inquiries)::text as inquiries,
              (select count(*) from messages where direction = 'inbound')::text as inbound,
              (select count(*) from webhook_events)::text as webhook_events`);
          return {
            inquiries: Number(row!.inquiries),
            inbound: Number(row!.inbound),
            webhookEvents: Number(row!.webhook_events),
          };
        },
      });
    },
  };
}
