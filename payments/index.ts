// The payments part of the hub, wired once in the composition root: the providers, the orchestrator's subscribers
// and its watchdog worker.
import type { EventBus } from "../hub/core/events/bus";
import type { JobDriver } from "../hub/core/jobs/driver";
import { PAYMENTS_QUEUE } from "../hub/core/jobs/queues";
import type { PaymentDeps } from "./orchestrator/deps";
import { onPaidSubscribers } from "./orchestrator/on-paid";
import { openAttempt } from "./orchestrator/open-attempt";
import { refundOnCancel, sendRefund } from "./orchestrator/refund";
import { closeOnBookingEnd, startOnAccept } from "./orchestrator/start";
import { closeSuperseded, refundDuplicate, switchFailedAttempt } from "./orchestrator/switch-attempt";
import { rearmWatchdogs, watchdogHandler } from "./orchestrator/watchdog";
import type { WebhookCounts } from "./orchestrator/webhook";

export interface Payments {
  deps: PaymentDeps;
  /** Webhook signatures refused since this process started, per slot. */
  rejectedSignatures: WebhookCounts;
  /** Signed webhooks not processed since this process started, per slot. */
  webhookFailures: WebhookCounts;
  subscribe(bus: EventBus): void;
  /** In a worker process: takes watchdog jobs. */
  work(jobs: JobDriver): void;
  /** Arms again the watchdog of every live online attempt that the queue lost (hub/core/jobs/timer-keeper.ts). */
  rearmWatchdogs(): Promise<number>;
}

export function createPayments(deps: PaymentDeps): Payments {
  return {
    deps,
    rejectedSignatures: { stripe: 0, secondary: 0 },
    webhookFailures: { stripe: 0, secondary: 0 },
    subscribe(bus) {
      bus.subscribe(startOnAccept(deps));
      bus.subscribe(openAttempt(deps));
      bus.subscribe(switchFailedAttempt(deps));
      bus.subscribe(closeSuperseded(deps));
      bus.subscribe(refundDuplicate(deps));
      // Refunds the hub asks for: a manager's, and the cancellation policy's (payments/orchestrator/refund.ts).
      bus.subscribe(sendRefund(deps));
      bus.subscribe(refundOnCancel(deps));
      for (const type of ["booking.cancelled", "booking.expired"] as const)
        bus.subscribe(closeOnBookingEnd(deps, type));
      // In this order: the commission is recorded before the partner's notification reads it.
      for (const subscriber of onPaidSubscribers(deps)) bus.subscribe(subscriber);
    },
    work(jobs) {
      jobs.process(PAYMENTS_QUEUE, watchdogHandler(deps));
    },
    rearmWatchdogs: () => rearmWatchdogs(deps),
  };
}
export { type ProviderHealth, paymentHealth, paymentWarnings } from "./health";
export { DuplicateProofError, type ProofRow, addProof } from "./manual/index";
export {
  type CustomerProofOutcome,
  type CustomerProofRefusal,
  MAX_CUSTOMER_NOTE,
  MAX_CUSTOMER_PROOFS,
  addCustomerProof,
} from "./manual/customer-proof";
export { MAX_PROOF_BYTES, type ProofType } from "./manual/proof-file";
export {
  type ManualAwaiting,
  type PaymentsNeedingPeople,
  type RefundTask,
  approvalRefusal,
  paymentsNeedingPeople,
} from "./needs-people";
export { type PaymentRow, minorAmount } from "./orchestrator/attempts";
export { payLinkOf } from "./orchestrator/deps";
export { MANUAL_REFUND_TASK, type RefundRequest, markManualRefundSent, requestRefund } from "./orchestrator/refund";
export { manualInstructionsFor } from "./orchestrator/tell-customer";
export { receivePaymentWebhook } from "./orchestrator/webhook";
export {
  PAYMENT_PROVIDERS,
  PAYMENT_STATUSES,
  type PayPageState,
  type PaymentDetail,
  bookingPayments,
  bookingReferenceOfPayment,
  listPayments,
  payPageState,
  paymentDetail,
  proofFile,
} from "./queries";
export { type OnlineSlot, type PaymentProviders, createPaymentProviders } from "./registry";
export { decideManualPayment, startNewRound } from "./rounds";
/** What a provider's webhook carries besides its body (the demo's fakes sign theirs with it). */
export type { Headers as WebhookHeaders, WebhookKind } from "./provider";
