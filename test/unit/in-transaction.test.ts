// inTransaction: the relay is woken once the work commits, never before it and never after a rollback.
import { describe, expect, it } from "vitest";
import { type HubContext, inTransaction } from "../../hub/core/context";

/** A database whose transaction runs the work and records what happened, in order. */
function fakeContext() {
  const log: string[] = [];
  const db = {
    async transaction<T>(work: (tx: unknown) => Promise<T>): Promise<T> {
      log.push("begin");
      try {
        const result = await work("tx");
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

describe("inTransaction", () => {
  it("runs the work in the transaction and wakes the relay after the commit", async () => {
    const { ctx, log } = fakeContext();
    const result = await inTransaction(ctx, async (tx) => {
      log.push(`work in ${String(tx)}`);
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(["begin", "work in tx", "commit", "wake"]);
  });

  it("does not wake the relay when the work throws, and passes the error on", async () => {
    const { ctx, log } = fakeContext();
    const failure = new Error("refused");
    await expect(
      inTransaction(ctx, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(log).toEqual(["begin", "rollback"]);
  });
});
