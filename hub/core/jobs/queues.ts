// Every queue the hub uses; the dead-letter view walks these.

/** Outbox events, one job per event (job id = event id). */
export const EVENTS_QUEUE = "events";

/** SLA timers: an inquiry's deadline, then its escalation (hub/sla). */
export const SLA_QUEUE = "sla";

/** Booking timers: a held booking's hold running out (hub/bookings). */
export const BOOKINGS_QUEUE = "bookings";

/**
 * Payment watchdogs: an attempt with no webhook in PAYMENT_WEBHOOK_TIMEOUT_MINUTES is asked about, then switched
 * (payments/).
 */
export const PAYMENTS_QUEUE = "payments";

/** UK GDPR: the daily retention run, which erases clients idle for RETENTION_MONTHS (hub/clients). */
export const PRIVACY_QUEUE = "privacy";

export const QUEUES = [EVENTS_QUEUE, SLA_QUEUE, BOOKINGS_QUEUE, PAYMENTS_QUEUE, PRIVACY_QUEUE] as const;
