// Where an inquiry stands against its SLA promise: computed from the deadline, the first response and the clock.

export const SLA_STATUSES = ["pending", "met", "breached", "breached_then_answered"] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

/** Inquiries someone still has to work on: the queue lists them, and only they can breach. */
export const WORKABLE_STATUSES = ["new", "in_progress"] as const;

export function slaStatus(inquiry: { slaDeadlineAt: Date; firstResponseAt: Date | null }, now: Date): SlaStatus {
  const deadline = inquiry.slaDeadlineAt.getTime();
  if (inquiry.firstResponseAt) return inquiry.firstResponseAt.getTime() <= deadline ? "met" : "breached_then_answered";
  return now.getTime() > deadline ? "breached" : "pending";
}
