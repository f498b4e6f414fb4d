// `npm run telegram:set-webhook [-- <public https URL>]`: points Telegram at this hub's webhook, with its secret.
import { Api } from "grammy";
import { ALLOWED_UPDATES } from "../bots/telegram";
import { WEBHOOK_PATH } from "../channels/telegram";
import { EnvError, loadEnv } from "../hub/env";

async function main(): Promise<number> {
  const env = loadEnv();
  const base = process.argv[2] ?? env.PUBLIC_URL;
  if (!env.TELEGRAM_BOT_TOKEN)
    return fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and set its token.");
  if (!env.TELEGRAM_WEBHOOK_SECRET)
    return fail("TELEGRAM_WEBHOOK_SECRET is not set: generate one with `openssl rand -hex 32`.");
  if (!base)
    return fail(
      "Give the hub's public URL: npm run telegram:set-webhook -- https://hub.example.co.uk (or set PUBLIC_URL).",
    );
  let url: URL;
  try {
    // Relative to the base, so a hub served under a path (https://example.co.uk/hub) keeps it.
    url = new URL(WEBHOOK_PATH.slice(1), base.endsWith("/") ? base : `${base}/`);
  } catch {
    return fail(`"${base}" is not a URL.`);
  }
  if (url.protocol !== "https:") return fail("Telegram sends webhooks only to https:// URLs.");

  const api = new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
  await api.setWebhook(url.href, { secret_token: env.TELEGRAM_WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES] });
  const info = await api.getWebhookInfo();
  console.log(`Telegram will send updates to ${info.url} (pending: ${info.pending_update_count}).`);
  if (env.TELEGRAM_MODE === "polling")
    console.log("Note: TELEGRAM_MODE=polling; set TELEGRAM_MODE=webhook (or unset it) so the hub takes them.");
  return 0;
}

function fail(message: string): number {
  console.error(message);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      error instanceof EnvError
        ? error.message
        : `Setting the webhook failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
