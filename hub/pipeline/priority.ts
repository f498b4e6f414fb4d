// Channel weights (hard rule 10) and the priority they give an inquiry.
import type { InquirySource } from "../../db/schema";

export const SOURCE_WEIGHTS = {
  web_form: 1.0,
  whatsapp: 1.1,
  telegram: 1.1,
  phone: 1.2,
  partner: 0.9,
} as const satisfies Record<InquirySource, number>;

/**
 * Priority = round(100 × source_weight): 120 for a phone lead down to 90 for a partner lead. An integer keeps the
 * queue index simple; the queue orders by priority, then by the nearer SLA deadline. Later rules (matching,
 * escalation) may add to it, but it always grows with the source weight.
 */
export function priorityFor(source: InquirySource): number {
  return Math.round(100 * SOURCE_WEIGHTS[source]);
}
