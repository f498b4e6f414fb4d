// The parts of a Telegram Update the hub's handlers read, checked at the webhook before grammY sees them. Telegram
// always sends them so; a body with the secret but another shape would otherwise fail deep in a handler (a date no
// Date can hold, a chat id that is text) as a 500, and Telegram would send it again and again.
import { z } from "@hono/zod-openapi";

/** Unix seconds as Telegram sends them (a 32-bit integer; 0 for a message the bot can no longer see). */
const unixSeconds = z
  .int()
  .min(0)
  .max(2 ** 31 - 1);
const user = z.object({ id: z.int() }).passthrough();

const message = z
  .object({
    message_id: z.int(),
    date: unixSeconds,
    chat: z.object({ id: z.int() }).passthrough(),
    from: user.optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
  })
  .passthrough();

export const TelegramUpdateShape = z
  .object({
    update_id: z.int(),
    message: message.optional(),
    edited_message: message.optional(),
    callback_query: z
      .object({ id: z.string(), from: user, data: z.string().optional(), message: message.optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();
