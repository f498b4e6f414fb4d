// The bot's context type and what its handlers may use: the hub's context, nothing else.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { AuthUser } from "../../hub/auth/users";
import type { CancellationPolicy } from "../../hub/bookings";
import type { ReceiveOutcome } from "../../hub/conversations";
import type { HubContext } from "../../hub/core/context";

export type BotDeps = Pick<HubContext, "db" | "logger" | "now" | "wake" | "observe"> & {
  /** The cancellation policy a customer's "Yes, cancel" under a reminder cancels under. */
  policy: CancellationPolicy;
};

export type BotContext = ConversationFlavor<Context> & {
  /** The linked staff member who sent this update, if any (looked up once per update). */
  staff?: AuthUser;
  /** What the hub made of this customer message. */
  received?: ReceiveOutcome;
};
