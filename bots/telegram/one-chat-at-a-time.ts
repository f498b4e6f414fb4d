// One update per chat at a time, in this process and across processes. The conversation's state is read when an
// update comes in and written when it is done, so two updates of one chat handled at once would overwrite each
// other's answers.
import type { Context, MiddlewareFn } from "grammy";
import type { Database } from "../../db/client";
import { withChatLease, type ChatLeaseOptions } from "../../hub/conversations";

export function oneUpdatePerChatAtATime<C extends Context>(
  db: Database,
  options: ChatLeaseOptions = {},
): MiddlewareFn<C> {
  // In this process a chat's updates wait in line here, in the order they came, so only the first of them polls
  // the database lease that keeps other processes out.
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
      await withChatLease(db, `telegram:${chat}`, next, options);
    } finally {
      finished();
      if (lines.get(chat) === mine) lines.delete(chat);
    }
  };
}
