// inTransaction: the relay is woken once work that wrote events commits, never before, never after a rollback, and
// not for a transaction that wrote no event.
import { describe, expect, it } from "vitest";
import { type HubContext, inTransaction } from "../../hub/core/context";
import { appendEvent } from "../../hub/core/events/outbox";

/** A database whose transaction runs the work and records what happened, in order; its inserts are only logged. */
function fakeContext() {
  const log: string[] = [];
  const tx = {
    insert: () => ({
      values: () => ({
        returning: async () => {
          log.push("insert event");
          return [{ id: "event-1" }];
        },
      }),
    }),
  };
  const db = {
    async transaction<T>(work: (tx: unknown) => Promise<T>): Promise<T> {
      log.push("begin");
      try {
        const result = await work(tx);
        log.push("commit");
        return result;
      } catch (error) {
        log.push("rollback");
        throw error;
      }
    },
  } as unknown as HubContext["db"];
  return { ctx: { db, wake: () => log.push("wake") }, log };
}

const event = {
  type: "inquiry.first_response",
  aggregateType: "inquiry",
  aggregateId: "inquiry-1",
  payload: { inquiry_id: "inquiry-1" },
} as unknown as Parameters<typeof appendEvent>[1];

describe("inTransaction", () => {
  it("runs the work in the transaction and wakes the relay after the commit when the work wrote an event", async () => {
    const { ctx, log } = fakeContext();
    const result = await inTransaction(ctx, async (tx) => {
      await appendEvent(tx, event);
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(["begin", "insert event", "commit", "wake"]);
  });

  it("does not wake the relay for a transaction that wrote no event", async () => {
    const { ctx, log } = fakeContext();
    await inTransaction(ctx, async () => log.push("work"));
    expect(log).toEqual(["begin", "work", "commit"]);
  });

  it("does not wake the relay when the work throws, and passes the error on", async () => {
    const { ctx, log } = fakeContext();
    const failure = new Error("refused");
    await expect(
      inTransaction(ctx, async (tx) => {
        await appendEvent(tx, event);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(log).toEqual(["begin", "insert event", "rollback"]);
  });
});
