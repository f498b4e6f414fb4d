// The events the hub publishes, and their payloads. Instants in payloads are UTC ISO strings.
import type { InquirySource, InquiryStatus, MessageKind } from "../../db/schema";

export interface HubEvents {
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
}

export type HubEventType = keyof HubEvents;

export interface HubEvent<T extends HubEventType = HubEventType> {
  id: string;
  type: T;
  payload: HubEvents[T];
  created_at: string;
}
