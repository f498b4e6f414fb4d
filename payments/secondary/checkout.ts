// Checkout.com as the hub's secondary payment provider, through its official SDK (checkout-sdk-node). One attempt is
// one Payment Link; its hosted page (_links.redirect.href) is the page. The link knows only Active / Payment Received
// / Expired, so what happened to the money is read from the link's payments, found by the reference the hub set: its
// own payment id.
import {
  type CancelOutcome,
  type CreateLinkInput,
  type CreatedLink,
  type Headers,
  type PaymentProviderAdapter,
  type RefundResult,
  type RemoteStatus,
  type VerifiedWebhook,
  ONLINE_CAPABILITIES,
  PaymentProviderError,
} from "../provider";
import { checkoutApi, type CheckoutLink, type CheckoutPayment } from "./checkout/api";
import { verifyCheckoutWebhook } from "./checkout/webhook";

export { ckoSignature, verifyCheckoutWebhook } from "./checkout/webhook";

export interface CheckoutSettings {
  /** sk_sbox_… (sandbox) or sk_… (live); the SDK sends it as the Authorization header. */
  secretKey: string;
  /** The signature key set on the webhook (workflow) in the Dashboard. */
  webhookSecret: string;
  processingChannelId: string;
  /** Unset: the SDK's default host for the key (sandbox or live). Set: the SDK's `host` option. */
  apiUrl?: string;
  /** The merchant-specific subdomain; without it (and without apiUrl) the SDK's shared legacy hosts are used. */
  subdomain?: string;
  timeoutMs: number;
  /** Where the hosted page sends the customer after paying. */
  returnUrl: string;
  /**
   * Payment Links require billing.address.country and the hub knows no customer address: GB (a London hub) unless set.
   */
  billingCountry?: string;
  now?: () => Date;
}

// expires_in is in seconds; Checkout.com's API reference gives 86400 as the default and 5184000 (60 days) as the most.
const MIN_EXPIRES_IN = 1;
const MAX_EXPIRES_IN = 5_184_000;
// Payment states after a successful authorisation; Declined, Canceled, Expired, Voided and Pending are not.
const TAKEN = new Set(["Authorized", "Partially Captured", "Captured", "Paid", "Partially Refunded", "Refunded"]);

export function checkoutProvider(settings: CheckoutSettings): PaymentProviderAdapter {
  const api = checkoutApi(settings);
  const now = settings.now ?? (() => new Date());

  /**
   * Checkout.com lists the endpoints that honour Cko-Idempotency-Key
   * (https://www.checkout.com/docs/developer-resources/api/idempotency)
   * and /payment-links is not one, nor is there a way to look a link up by reference. So a retry with the same key
   * gets the first link from this process's memory (until the link expires). After a restart a retry makes a second
   * link: harmless, since customers only reach the one the hub stored, and both carry the attempt's reference.
   */
  const created = new Map<string, { until: number; link: Promise<CreatedLink> }>();

  async function createOnce(input: CreateLinkInput): Promise<CreatedLink> {
    // Whole seconds, rounded down, so the page never outlives the hub's own deadline.
    const wanted = Math.floor((input.expiresAt.getTime() - now().getTime()) / 1000);
    const expiresIn = Math.min(MAX_EXPIRES_IN, Math.max(MIN_EXPIRES_IN, wanted));
    const link = await api.createLink(
      {
        amount: input.amount,
        currency: input.currency,
        reference: input.paymentId,
        description: input.description,
        processing_channel_id: settings.processingChannelId,
        billing: { address: { country: settings.billingCountry ?? "GB" } },
        metadata: { payment_id: input.paymentId, booking_id: input.bookingId },
        expires_in: expiresIn,
        return_url: settings.returnUrl,
      },
      input.idempotencyKey,
    );
    const url = link._links?.redirect?.href;
    if (!url)
      throw new PaymentProviderError(`Checkout.com created payment link ${link.id} without a redirect link`, {
        kind: "server_error",
      });
    const expiresOn = link.expires_on ? new Date(link.expires_on) : null;
    const expiresAt =
      expiresOn && !Number.isNaN(expiresOn.getTime()) ? expiresOn : new Date(now().getTime() + expiresIn * 1000);
    return { providerPaymentId: link.id, url, expiresAt, raw: link };
  }

  /** The newest of the link's payments that took the money, and its newest payment of any kind. */
  async function paymentOf(link: CheckoutLink): Promise<{ taken?: CheckoutPayment; latest?: CheckoutPayment }> {
    // A list without a reference would be every payment of the account.
    if (!link.reference)
      throw new PaymentProviderError(`Checkout.com payment link ${link.id} has no reference`, { kind: "server_error" });
    const payments = await api.paymentsByReference(link.reference);
    return { taken: payments.find((p) => TAKEN.has(p.status ?? "")), latest: payments[0] };
  }

  const isRefunded = (p: CheckoutPayment) =>
    p.status === "Refunded" ||
    (p.amount !== undefined && p.amount > 0 && (p.balances?.total_refunded ?? 0) >= p.amount);

  return {
    name: "checkout",
    capabilities: ONLINE_CAPABILITIES,

    createLink(input: CreateLinkInput): Promise<CreatedLink> {
      const at = now().getTime();
      for (const [key, entry] of created) if (entry.until <= at) created.delete(key);
      const hit = created.get(input.idempotencyKey);
      if (hit) return hit.link;
      const link = createOnce(input);
      created.set(input.idempotencyKey, { until: input.expiresAt.getTime(), link });
      // Only a link that was made is remembered: a failed create may be retried for real.
      link.catch(() => created.delete(input.idempotencyKey));
      return link;
    },

    async status(providerPaymentId: string): Promise<RemoteStatus> {
      const link = await api.getLink(providerPaymentId);
      switch (link.status) {
        // A declined card leaves the link open: the customer may try again on the same page.
        case "Active":
          return "open";
        case "Payment Received": {
          const { taken } = await paymentOf(link);
          return taken && isRefunded(taken) ? "refunded" : "paid";
        }
        // A link that ran out after its last attempt was declined failed; one nobody tried merely expired.
        case "Expired": {
          const { latest } = await paymentOf(link);
          return latest?.status === "Declined" ? "failed" : "expired";
        }
        default:
          throw new PaymentProviderError(
            `Checkout.com payment link ${providerPaymentId} has an unknown status: ${String(link.status)}`,
            { kind: "server_error" },
          );
      }
    },

    // The Payment Links API has no way to end a link early (create and get only): it runs until expires_on.
    async cancel(providerPaymentId: string): Promise<CancelOutcome> {
      const link = await api.getLink(providerPaymentId);
      return link.status === "Payment Received"
        ? "already_paid"
        : link.status === "Expired"
          ? "already_closed"
          : "unsupported";
    },

    async refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<RefundResult> {
      const link = await api.getLink(providerPaymentId);
      const { taken } = await paymentOf(link);
      if (!taken)
        throw new PaymentProviderError(`Checkout.com payment link ${providerPaymentId} has no payment to refund`, {
          kind: "refused",
        });
      // The refund's reference repeats the attempt's id, so its events name the attempt whether they echo the
      // payment's reference or the refund's. Refunds are asynchronous: 202 Accepted, then payment_refunded.
      const accepted = await api.refund(taken.id, { amount, reference: link.reference }, idempotencyKey);
      return { refundId: accepted.action_id, status: "pending", raw: accepted };
    },

    async verifyWebhook(rawBody: string, headers: Headers): Promise<VerifiedWebhook> {
      return verifyCheckoutWebhook(rawBody, headers, settings.webhookSecret);
    },
  };
}
