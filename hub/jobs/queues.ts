// Every queue the hub uses; the dead-letter view walks these.

/** Outbox events, one job per event (job id = event id). */
export const EVENTS_QUEUE = "events";

/** SLA timers: an inquiry's deadline, then its escalation (hub/sla). */
export const SLA_QUEUE = "sla";

export const QUEUES = [EVENTS_QUEUE, SLA_QUEUE] as const;
