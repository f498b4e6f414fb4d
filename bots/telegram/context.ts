// The bot's context type and what its handlers may use: the pipeline and the hub's services, nothing else.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import type { AuthUser } from "../../hub/auth/users";
import type { ReceiveOutcome } from "../../hub/conversations";
import type { PipelineDeps } from "../../hub/pipeline";

export interface BotDeps {
  db: Database;
  pipeline: PipelineDeps;
  logger: Logger;
  now: () => Date;
}

export type BotContext = ConversationFlavor<Context> & {
  /** The linked staff member who sent this update, if any (looked up once per update). */
  staff?: AuthUser;
  /** What the hub made of this customer message. */
  received?: ReceiveOutcome;
};
