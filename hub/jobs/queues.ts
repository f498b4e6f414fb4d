// Every queue the hub uses; the dead-letter view walks these.

/** Outbox events, one job per event (job id = event id). */
export const EVENTS_QUEUE = "events";

export const QUEUES = [EVENTS_QUEUE] as const;
