// The Telegram bot (grammY): one Bot for customers and staff, talking to the hub through its pipeline and services.
import { conversations, type ConversationData, type VersionedState } from "@grammyjs/conversations";
import { Bot } from "grammy";
import { findStaffByTelegramUser } from "../../hub/auth/telegram-link";
import type { BotContext, BotDeps } from "./context";
import { customerFlow } from "./customer";
import { BOOKING_ACTION, REMINDER_ACTION } from "../../hub/bookings";
import { answerProposalTap } from "./proposal-taps";
import { answerReminderTap } from "./reminder-taps";
import { operatorCommands } from "./operators";
import { oneUpdatePerChatAtATime } from "./one-chat-at-a-time";
import { databaseStorage } from "../../channels/telegram";

export type { BotDeps } from "./context";

export interface TelegramBotOptions {
  token: string;
  /** The Bot API's base URL (tests: a fake on loopback); the conversations plugin builds its own API from it too. */
  apiRoot: string;
}

/** Where the guided conversation's state is kept in bot_sessions, per chat. */
export const CONVERSATION_STATE_PREFIX = "telegram:conversation:";

/** Updates the bot asks for; anything else Telegram would send is of no use to it. */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query"] as const;

export function createTelegramBot(deps: BotDeps, options: TelegramBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot } });
  // A tap on a proposal's Accept or Decline. It comes from the customer's private chat: the tapping user is the chat.
  bot.callbackQuery(BOOKING_ACTION, (ctx) => answerProposalTap(deps, ctx));
  // A tap under a reminder, or under the question its Cancel asks.
  bot.callbackQuery(REMINDER_ACTION, (ctx) => answerReminderTap(deps, ctx));
  // Leads come from private chats only (the hub takes a private chat's id as the customer's Telegram user id);
  // groups and channels the bot is added to are ignored.
  const chats = bot.chatType("private");
  // Webhook updates come in concurrently, to any hub process (polling hands them over one by one); a chat's must
  // not overlap.
  chats.use(oneUpdatePerChatAtATime(deps.db));
  chats.use(
    conversations<BotContext, BotContext>({
      // Bump the version when the conversation's questions change: older replays would not fit the new code.
      storage: {
        type: "key",
        version: 1,
        adapter: databaseStorage<VersionedState<ConversationData>>(deps.db, CONVERSATION_STATE_PREFIX),
      },
    }),
  );
  chats.use(async (ctx, next) => {
    if (ctx.from) ctx.staff = await findStaffByTelegramUser(deps.db, String(ctx.from.id));
    await next();
  });
  chats.use(operatorCommands(deps));
  chats.use(customerFlow(deps));
  // Edits and anything else are answered 200 and change nothing: the conversation keeps what was first sent.
  return bot;
}
