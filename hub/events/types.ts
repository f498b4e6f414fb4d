// The events the hub publishes, and their payloads. Instants in payloads are UTC ISO strings.
import type { BookingStatus, InquirySource, InquiryStatus, MessageKind, StaffNoticeKind } from "../../db/schema";

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
  "inquiry.assigned": { inquiry_id: string; reference: string; assignee_id: string; previous_assignee_id: string | null };
  /** The first human response (a sent operator message, or a logged contact): the SLA clock stops. */
  "inquiry.first_response": { inquiry_id: string; at: string; via: "message" | "contact" };
  /** The SLA deadline passed with no response. */
  "inquiry.sla_breached": SlaEventPayload & { breached_at: string };
  /** Still no response SLA_ESCALATE_AFTER_MINUTES after the breach: the managers are told. */
  "inquiry.sla_escalated": SlaEventPayload & { escalated_at: string };
  /** A notice waits to be sent to a member of staff in Telegram. */
  "staff_notice.queued": { notice_id: string; user_id: string; inquiry_id: string; kind: StaffNoticeKind };
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
}
