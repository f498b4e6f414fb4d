// The partner channel: agencies post signed leads (Standard Webhooks); notifications back to them live in notify.ts.
import type { ChannelAdapter } from "../adapter";
import type { ChannelDeps } from "../deps";
import { mountPartnerIntake } from "./intake";

export function partnerChannel(deps: ChannelDeps): ChannelAdapter {
  // No send(): a partner has no chat; it hears of its leads through signed notifications (notify.ts).
  return {
    source: "partner",
    mount: (app) => mountPartnerIntake(deps, app),
    status: () => ({ connected: true, mode: "signed endpoint (Standard Webhooks)", warnings: [] }),
  };
}
export {
  PARTNER_NOTIFICATION_STATUSES,
  type PartnerNotificationStatus,
  type SentNotification,
  listPartnerNotifications,
} from "./notifications";
export { eventIdOfWebhookId, notifyPartnersOfBooking, notifyPartnersOfPayment, notifyPartnersOfStatus } from "./notify";
export { PARTNER_STATUSES, changePartner, createPartner, listPartners, rotateSigningSecret } from "./partners";
export { webhookUrlSchema } from "./webhook-url";
