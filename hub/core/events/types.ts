// The events the hub publishes, and their payloads. Instants in payloads are UTC ISO strings.
import type {
  BookingStatus,
  InquirySource,
  InquiryStatus,
  MessageKind,
  PaymentProvider,
  PaymentType,
  StaffNoticeKind,
} from "../../../db/schema";

/** Every booking status change, as `booking.<status>`: booking.held, booking.confirmed, booking.expired… */
export type BookingStatusEvents = { [S in BookingStatus as `booking.${S}`]: BookingEventPayload };

export interface BookingEventPayload {
  booking_id: string;
  reference: string;
  inquiry_id: string;
  resource_id: string;
  source: InquirySource;
  partner_code: string | null;
  from: BookingStatus | null;
  to: BookingStatus;
  starts_at: string;
  ends_at: string;
  /** booking.cancelled: what became of a paid deposit (`full`: payments/ refunds it), null when none was paid. */
  cancel_refund?: "full" | "none" | null;
  /** booking.cancelled: the customer cancelled it themselves (staff are told). */
  by_customer?: boolean;
}

export interface HubEvents extends BookingStatusEvents {
  /** The booking was offered to the customer: in their chat, or as a booking link. */
  "booking.proposed": BookingEventPayload & { via: "telegram" | "whatsapp" | "link" };
  "inquiry.created": {
    inquiry_id: string;
    source: InquirySource;
    client_id: string;
    partner_code: string | null;
    received_at: string;
    sla_deadline_at: string;
    priority: number;
  };
  "inquiry.status_changed": {
    inquiry_id: string;
    reference: string;
    source: InquirySource;
    partner_code: string | null;
    from: InquiryStatus;
    to: InquiryStatus;
  };
  /** A customer's follow-up joined an open inquiry's conversation. */
  "message.received": { message_id: string; inquiry_id: string; source: InquirySource; kind: MessageKind };
  /** An outbound message is waiting to be sent into its chat. */
  "message.queued": { message_id: string; inquiry_id: string; source: InquirySource };
  /** A member of staff took the inquiry (`/take`): it is theirs to answer. */
  "inquiry.assigned": {
    inquiry_id: string;
    reference: string;
    assignee_id: string;
    previous_assignee_id: string | null;
  };
  /** The first human response (a sent operator message, or a logged contact): the SLA clock stops. */
  "inquiry.first_response": { inquiry_id: string; at: string; via: "message" | "contact" };
  /** The SLA deadline passed with no response. */
  "inquiry.sla_breached": SlaEventPayload & { breached_at: string };
  /** Still no response SLA_ESCALATE_AFTER_MINUTES after the breach: the managers are told. */
  "inquiry.sla_escalated": SlaEventPayload & { escalated_at: string };
  /**
   * An attempt was written: its subscriber asks the provider for a checkout page (or, for manual, tells the customer
   * how to pay).
   */
  "payment.attempt_created": PaymentEventPayload & { is_fallback: boolean; round: number };
  /**
   * An attempt failed (a failed or expired event, no webhook in time): its subscriber closes it at its provider, then
   * switches.
   */
  "payment.attempt_failed": PaymentEventPayload & {
    reason: string /** The provider said the page expired. */;
    expired?: boolean;
  };
  /** The hub moved a booking's payment from one attempt to the next. */
  "payment.switched": PaymentEventPayload & { from_payment_id: string; from_provider: PaymentProvider; reason: string };
  /** The booking's deposit is paid: the booking is confirmed. */
  "payment.paid": PaymentEventPayload & {
    inquiry_id: string;
    source: InquirySource;
    partner_code: string | null;
    paid_at: string;
    via: "webhook" | "status" | "approval";
  };
  /**
   * A payments row became `refunded`: a refund row's money is back with the customer, or an attempt was refunded
   * (by the hub, whose refund row tells the money; or at the provider, with no refund row).
   */
  "payment.refunded": PaymentEventPayload & { type: PaymentType; refund_of: string | null; refunded_at: string };
  /** A refund row written `open` (a manager's, or the cancellation policy's): its provider is asked to pay it back. */
  "payment.refund_requested": PaymentEventPayload & { refund_of: string };
  /** An attempt superseded by a paid one: closed at its provider so it cannot take money too. */
  "payment.superseded": PaymentEventPayload;
  /** A second success for a booking already paid (or no longer active): refunded through its own provider. */
  "payment.duplicate": PaymentEventPayload;
  /** No attempt is left in this round (manual rejected): a person decides, and may start a new round. */
  "payment.failed": PaymentEventPayload & { reason: string };
  /** A notice waits to be sent to a member of staff in Telegram. */
  "staff_notice.queued": { notice_id: string; user_id: string; inquiry_id: string | null; kind: StaffNoticeKind };
}

/** What every payment event carries about its attempt. Amounts are minor units. */
export interface PaymentEventPayload {
  payment_id: string;
  booking_id: string;
  provider: PaymentProvider;
  attempt_number: number;
  amount: number;
  currency: string;
}

interface SlaEventPayload {
  inquiry_id: string;
  reference: string;
  source: InquirySource;
  sla_deadline_at: string;
  assignee_id: string | null;
}

export type HubEventType = keyof HubEvents;

export interface HubEvent<T extends HubEventType = HubEventType> {
  id: string;
  type: T;
  payload: HubEvents[T];
  created_at: string;
  /** Set when the relay published the event again because the queue had lost its job (OutboxRelay.recoverLost). */
  republished?: boolean;
}
