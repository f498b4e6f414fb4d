// Writing an event into the outbox, in the caller's transaction, so the event exists exactly when the change does.
import type { Executor } from "../../../db/client";
import { outboxEvents } from "../../../db/schema";
import type { HubEvents, HubEventType } from "./types";

/** Transactions that wrote an event: only their commit need wake the relay (inTransaction). */
const wroteEvents = new WeakSet<Executor>();

/** Whether `appendEvent` wrote into this transaction. */
export const hasWrittenEvents = (tx: Executor) => wroteEvents.has(tx);

export async function appendEvent<T extends HubEventType>(
  tx: Executor,
  event: { type: T; aggregateType: string; aggregateId: string; payload: HubEvents[T] },
): Promise<string> {
  wroteEvents.add(tx);
  const [row] = await tx.insert(outboxEvents).values(event).returning({ id: outboxEvents.id });
  return row!.id;
}
