// The events the hub publishes, and their payloads. Instants in payloads are UTC ISO strings.
import type { InquirySource } from "../../db/schema";

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
}

export type HubEventType = keyof HubEvents;

export interface HubEvent<T extends HubEventType = HubEventType> {
  id: string;
  type: T;
  payload: HubEvents[T];
  created_at: string;
}
