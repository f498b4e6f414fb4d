// One update per chat at a time in this process. The conversation's state is read when an update comes in and
// written when it is done, so two updates of one chat handled at once would overwrite each other's answers.
import type { Context, MiddlewareFn } from "grammy";

export function oneUpdatePerChatAtATime<C extends Context>(): MiddlewareFn<C> {
  // The last update in line for each chat; a chat leaves the map when its line is empty.
  const lines = new Map<number, Promise<void>>();
  return async (ctx, next) => {
    const chat = ctx.chat?.id;
    if (chat === undefined) return next();
    const ahead = lines.get(chat) ?? Promise.resolve();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const mine = ahead.then(() => done);
    lines.set(chat, mine);
    await ahead;
    try {
      await next();
    } finally {
      finished();
      if (lines.get(chat) === mine) lines.delete(chat);
    }
  };
}
