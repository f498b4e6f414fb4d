// Writing an event into the outbox, in the caller's transaction, so the event exists exactly when the change does.
import type { Executor } from "../../../db/client";
import { outboxEvents } from "../../../db/schema";
import type { HubEvents, HubEventType } from "./types";

export async function appendEvent<T extends HubEventType>(
  tx: Executor,
  event: { type: T; aggregateType: string; aggregateId: string; payload: HubEvents[T] },
): Promise<string> {
  const [row] = await tx.insert(outboxEvents).values(event).returning({ id: outboxEvents.id });
  return row!.id;
}
