// What the domains tell whoever watches the hub (Prometheus, hub/prometheus): a few counts and timings.
// Domains call this small interface and never a metrics library, so that one can be swapped or left out.

/** How an inquiry's intake ended: a new inquiry, the first one again (a redelivery), or refused as invalid. */
export type IntakeOutcome = "created" | "duplicate" | "refused";

/** How one try at sending a message into its chat ended; `retry`: it failed and its job tries again. */
export type DeliveryOutcome = "sent" | "failed" | "retry" | "withheld";

/** How a payment attempt's step ended at its provider: a page opened (or instructions sent), or a failure. */
export type PaymentAttemptOutcome = "opened" | "failed" | "paid" | "expired";

export interface Observer {
  /** `seconds`: how long the pipeline took, refused ones included. */
  intake(source: string, outcome: IntakeOutcome, seconds: number): void;
  /** A webhook refused for its signature, by the path that refused it. */
  webhookRejected(endpoint: string): void;
  messageDelivery(channel: string, outcome: DeliveryOutcome): void;
  paymentAttempt(provider: string, outcome: PaymentAttemptOutcome): void;
}

/** Watches nothing: the default where no one collects (scripts, a hub built without metrics). */
export const noObserver: Observer = {
  intake() {},
  webhookRejected() {},
  messageDelivery() {},
  paymentAttempt() {},
};
