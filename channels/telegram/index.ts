// The telegram channel: the webhook (or long polling) into the bot, and sendMessage for the hub's replies.
import { webhookCallback } from "grammy";
import type { Context as HonoContext } from "hono";
import { ALLOWED_UPDATES, CONVERSATION_STATE_PREFIX, createTelegramBot } from "../../bots/telegram";
import { pruneStaleSessions } from "./session-storage";
import { storableValue } from "../../db/storable";
import { pruneChatLeases } from "../../hub/conversations";
import { createRoute, z } from "@hono/zod-openapi";
import { sameSecret } from "../../hub/auth/same-secret";
import { rejectWebhook } from "../../hub/core/webhook-rejections";
import { fieldErrors, problem, problemResponses } from "../../hub/http/problem";
import { ChannelSendError, type ChannelAdapter } from "../adapter";
import type { ChannelDeps } from "../deps";
import { toChannelSendError } from "./send-error";
import { TelegramUpdateShape } from "./update-shape";

export const WEBHOOK_PATH = "/webhooks/telegram";
const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
/** Unfinished guided conversations are deleted after a week without a word; their questions lapsed after a day. */
const KEEP_CONVERSATION_STATE_MS = 7 * 24 * 3600_000;
const PRUNE_EVERY_MS = 3600_000;

/** The webhook as the OpenAPI document shows it (the handler is grammY's, behind our secret check). */
const webhookRoute = createRoute({
  method: "post",
  path: WEBHOOK_PATH,
  tags: ["Channels"],
  summary: "Telegram Bot API updates (webhook mode): customers' messages and operators' commands",
  description:
    "Telegram sends the secret set with setWebhook (TELEGRAM_WEBHOOK_SECRET) in X-Telegram-Bot-Api-Secret-Token; without it: 401.",
  security: [],
  request: {
    headers: z.object({ "x-telegram-bot-api-secret-token": z.string() }),
    body: { required: true, content: { "application/json": { schema: TelegramUpdateShape } } },
  },
  responses: { 200: { description: "Handled" }, ...problemResponses(400, 401) },
});

export function telegramChannel(deps: ChannelDeps): ChannelAdapter {
  const { env, logger } = deps;
  const token = env.TELEGRAM_BOT_TOKEN;
  if (!token) {
    logger.info({ channel: "telegram" }, "Telegram is off: set TELEGRAM_BOT_TOKEN to turn it on");
    return {
      source: "telegram",
      status: () => ({ connected: false, mode: "off (TELEGRAM_BOT_TOKEN not set)", warnings: [] }),
      mount() {},
      async send(message) {
        throw new ChannelSendError(
          `Telegram is off (TELEGRAM_BOT_TOKEN is not set); message ${message.id} cannot be sent`,
          false,
        );
      },
    };
  }
  const bot = createTelegramBot(
    {
      db: deps.db,
      logger: logger.child({ channel: "telegram" }),
      now: deps.now,
      wake: deps.wake,
      observe: deps.observe,
      policy: deps.policy,
    },
    { token, apiRoot: env.TELEGRAM_API_ROOT },
  );
  // Polled updates do not pass the HTTP edge that makes every incoming string storable (hub/http/storable-input.ts):
  // they are made so here, as they arrive, so that both modes store the same text.
  bot.api.config.use(async (call, method, payload, signal) => {
    const answer = await call(method, payload, signal);
    return method === "getUpdates" && answer.ok ? { ...answer, result: storableValue(answer.result) } : answer;
  });
  bot.catch((error) =>
    logger.error(
      { channel: "telegram", err: error.error, update_id: error.ctx.update.update_id },
      "telegram update failed",
    ),
  );
  let polling: Promise<void> | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  let pollingStopped: string | undefined;

  return {
    source: "telegram",

    status: () => ({
      connected: true,
      mode: env.TELEGRAM_MODE,
      warnings: pollingStopped ? [`Telegram long polling stopped: ${pollingStopped}. Restart the process.`] : [],
    }),

    mount(app) {
      const secret = env.TELEGRAM_WEBHOOK_SECRET;
      if (env.TELEGRAM_MODE !== "webhook" || !secret) return; // polling takes the updates; env.ts requires the secret here
      // grammY checks the secret as well (its answer is an empty 401); ours comes first so that a forged request
      // costs no Bot API call and gets a problem+json answer. An error inside the bot is a 500: Telegram redelivers
      // the update, and the hub's dedupe makes that harmless.
      app.openAPIRegistry.registerPath(webhookRoute);
      const handle = webhookCallback(bot, "hono", { secretToken: secret }) as (c: HonoContext) => Promise<Response>;
      app.post(WEBHOOK_PATH, async (c) => {
        if (!sameSecret(c.req.header(SECRET_HEADER), secret)) {
          const reason = `Send the webhook secret in ${SECRET_HEADER} (set with npm run telegram:set-webhook).`;
          await rejectWebhook(deps, { endpoint: WEBHOOK_PATH, sender: "telegram", reason });
          return problem(c, 401, reason);
        }
        const update = TelegramUpdateShape.safeParse(await c.req.json().catch(() => undefined));
        if (!update.success) {
          const errors = fieldErrors(update.error);
          return problem(
            c,
            400,
            `The body must be a Telegram Update: ${errors.map((e) => `${e.field} ${e.message}`).join("; ")}.`,
            errors,
          );
        }
        return handle(c);
      });
    },

    async send(message) {
      try {
        const keyboard = message.actions?.length
          ? {
              reply_markup: {
                inline_keyboard: [
                  message.actions.map((a) =>
                    a.url ? { text: a.title, url: a.url } : { text: a.title, callback_data: a.id },
                  ),
                ],
              },
            }
          : {};
        const sent = await bot.api.sendMessage(message.chatId, message.text, keyboard);
        return { externalMessageId: `${sent.chat.id}:${sent.message_id}`, raw: sent };
      } catch (error) {
        throw toChannelSendError(error, message.chatId);
      }
    },

    async start() {
      // A Bot API that cannot be reached at start-up must not stop the hub: the webhook retries getMe on its first
      // update.
      pruneTimer = setInterval(() => {
        Promise.all([
          pruneStaleSessions(deps.db, CONVERSATION_STATE_PREFIX, KEEP_CONVERSATION_STATE_MS),
          pruneChatLeases(deps.db, PRUNE_EVERY_MS),
        ]).catch((error) =>
          logger.warn({ channel: "telegram", err: error }, "pruning old conversation state failed; tried again later"),
        );
      }, PRUNE_EVERY_MS);
      pruneTimer.unref();
      await bot
        .init(AbortSignal.timeout(10_000) as Parameters<typeof bot.init>[0])
        .catch((error) => logger.warn({ channel: "telegram", err: error }, "Telegram getMe failed"));
      if (env.TELEGRAM_MODE !== "polling") return;
      polling = bot.start({ allowed_updates: [...ALLOWED_UPDATES] }).catch((error) => {
        pollingStopped = error instanceof Error ? error.message : String(error);
        logger.error({ channel: "telegram", err: error }, "Telegram long polling stopped");
      });
      logger.info({ channel: "telegram" }, "Telegram long polling started");
    },

    async stop() {
      clearInterval(pruneTimer);
      if (!polling) return;
      // stop() confirms the last update with one more getUpdates; an unreachable Bot API must not block shutdown.
      await bot
        .stop()
        .catch((error) => logger.warn({ channel: "telegram", err: error }, "Telegram did not confirm the last update"));
      await polling; // the update in hand finishes before the database closes
      polling = undefined;
    },
  };
}
export { databaseStorage } from "./session-storage";
