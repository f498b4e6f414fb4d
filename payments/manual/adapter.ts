// The manual slot as an adapter like the others (a null object): a bank transfer needs no outside service, so it
// makes no page, sends no webhook and refunds nothing itself. Its capabilities say so, and the orchestrator asks
// them before calling; a call that comes anyway is refused here, without reaching anyone.
import {
  PaymentProviderError,
  WebhookSignatureError,
  type CancelOutcome,
  type CreatedLink,
  type PaymentProviderAdapter,
  type ProviderCapabilities,
  type RefundResult,
  type RemoteStatus,
  type VerifiedWebhook,
} from "../provider";

/** Why a duplicate bank transfer goes back through a person: the reason its refund task carries. */
const REFUNDED_BY_HAND = "a bank transfer is refunded by hand";

const refusal = (message: string) => new PaymentProviderError(message, { kind: "refused" });

export class ManualPaymentAdapter implements PaymentProviderAdapter {
  readonly name = "manual";
  readonly capabilities: ProviderCapabilities = { checkoutPage: false, webhooks: false, refunds: false };

  async createLink(): Promise<CreatedLink> {
    throw refusal("a bank transfer has no checkout page: its attempt opens with the instructions");
  }

  /** The instructions cannot be taken back: the attempt is closed in the hub alone. */
  async cancel(): Promise<CancelOutcome> {
    return "unsupported";
  }

  async status(): Promise<RemoteStatus> {
    throw refusal("the bank does not report a transfer: a manager's approval of its proof does");
  }

  async refund(): Promise<RefundResult> {
    throw refusal(REFUNDED_BY_HAND);
  }

  async verifyWebhook(): Promise<VerifiedWebhook> {
    throw new WebhookSignatureError("a bank transfer sends no webhooks");
  }
}

/** The one there is: it holds nothing of its own. */
export const manualPaymentAdapter = new ManualPaymentAdapter();
