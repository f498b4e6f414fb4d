// The staff side of the bot: /link CODE for anyone; for linked staff, /phone, /queue, /sla, /inquiry, /take, /reply,
// /notify, /help, and a reply to one of the hub's notices, which goes to the customer's chat.
import { Composer } from "grammy";
import { logPhoneCall, PHONE_LOG_USAGE } from "../../channels/phone";
import { redeemTelegramLinkCode } from "../../hub/auth/telegram-link";
import { HubError } from "../../hub/core/errors";
import { slaBreaches, workQueue } from "../../hub/inquiries";
import { inquiryReference } from "../../hub/pipeline";
import { formatLondonForPeople } from "../../hub/core/time";
import type { BotContext, BotDeps } from "./context";
import { breachLine, inquiryCard, OPERATOR_HELP, queueLine } from "./operator-texts";
import { paymentProofReplies } from "./payment-proofs";
import { staffWork } from "./staff-work";

const LINK_REFUSED = {
  unknown: "That code is not valid. Ask for a new one (POST /operators/{id}/telegram-link) and send /link CODE.",
  used: "That code has been used already. Ask for a new one.",
  expired: "That code has expired (codes last 15 minutes). Ask for a new one.",
  inactive: "That staff account is deactivated.",
} as const;

export function operatorCommands(deps: BotDeps): Composer<BotContext> {
  const commands = new Composer<BotContext>();

  commands.command("link", async (ctx) => {
    const code = ctx.match.trim();
    if (!/^[A-Za-z2-7]{8}$/.test(code))
      return void (await ctx.reply("Usage: /link CODE (the 8-character code the hub gave you)"));
    const outcome = await redeemTelegramLinkCode(deps.db, code, String(ctx.from!.id), deps.now());
    if (!outcome.linked) return void (await ctx.reply(LINK_REFUSED[outcome.reason]));
    const moved = outcome.moved ? " It no longer acts for the account it was linked to before." : "";
    await ctx.reply(
      `Linked: this Telegram account now acts for ${outcome.user.name} (${outcome.user.role}).${moved}\n\n${OPERATOR_HELP}`,
    );
  });

  // Everyone else goes on to the customer flow: an unknown user never learns what staff can see.
  const staff = commands.filter((ctx) => ctx.staff !== undefined);

  staff.command("help", (ctx) => ctx.reply(OPERATOR_HELP));

  staff.command("phone", async (ctx) => {
    try {
      const outcome = await logPhoneCall(deps, ctx.match, {
        operatorId: ctx.staff!.id,
        // The message names the log: a redelivered update finds the inquiry it made.
        idempotencyKey: `telegram-phone:${ctx.chat.id}:${ctx.msg.message_id}`,
        webhookEventId: String(ctx.update.update_id),
        loggedAt: new Date(ctx.msg.date * 1000),
        raw: ctx.update,
      });
      if (!outcome.ok) return void (await ctx.reply(`${outcome.problem}\n\n${PHONE_LOG_USAGE}`));
      const { inquiry, replayed } = outcome.result;
      const reference = inquiryReference(inquiry.number);
      await ctx.reply(
        replayed
          ? `Already logged as ${reference}.`
          : `Logged ${reference}: call with ${inquiry.client.phone}, ${inquiry.callResult}. Reply due by ${formatLondonForPeople(inquiry.slaDeadlineAt)}.`,
      );
    } catch (error) {
      if (!(error instanceof HubError) || (error.kind !== "invalid" && error.kind !== "conflict")) throw error;
      await ctx.reply(`Not logged: ${error.message}\n\n${PHONE_LOG_USAGE}`);
    }
  });

  staff.command("queue", async (ctx) => {
    const now = deps.now();
    const { items } = await workQueue(deps.db, { now, limit: 10 });
    await ctx.reply(
      items.length === 0
        ? "The queue is empty."
        : `Next up (London time):\n${items.map((i) => queueLine(i.inquiry, now)).join("\n")}`,
    );
  });

  staff.command("sla", async (ctx) => {
    const now = deps.now();
    const breaches = await slaBreaches(deps.db, now, 20);
    await ctx.reply(
      breaches.length === 0
        ? "No SLA breaches."
        : `Past their reply deadline (London time):\n${breaches.map((i) => breachLine(i, now)).join("\n")}`,
    );
  });

  // A photo or document replying to a "Manual payment required" notice: the proof of that payment.
  staff.use(paymentProofReplies(deps));
  // /inquiry, /take, /reply, /notify, and replies to notices.
  staff.use(staffWork(deps, (inquiry) => inquiryCard(inquiry, deps.now())));

  // Staff are not leads: anything else they write gets the command list.
  staff.on("message", (ctx) => ctx.reply(OPERATOR_HELP));

  return commands;
}
