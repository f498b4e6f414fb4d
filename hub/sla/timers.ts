// The SLA timers: delayed jobs armed and disarmed by events, one per inquiry and step, with ids from the inquiry id.
import type { Subscriber } from "../core/events/bus";
import type { HubContext } from "../core/context";
import { SLA_QUEUE } from "../core/jobs/queues";
import { defineTimer } from "../core/jobs/timer";

export const DEADLINE_JOB = "sla.deadline";
export const ESCALATION_JOB = "sla.escalate";

/** A second arming of the same inquiry's timer is a no-op in either driver. */
export const deadlineTimer = defineTimer({
  queue: SLA_QUEUE,
  job: DEADLINE_JOB,
  idPrefix: "sla-deadline",
  keyField: "inquiry_id",
});
export const escalationTimer = defineTimer({
  queue: SLA_QUEUE,
  job: ESCALATION_JOB,
  idPrefix: "sla-escalate",
  keyField: "inquiry_id",
});
export const deadlineJobId = deadlineTimer.jobId;
export const escalationJobId = escalationTimer.jobId;

export type SlaTimerDeps = Pick<HubContext, "jobs" | "now"> & {
  /** SLA_ESCALATE_AFTER_MINUTES in milliseconds. */
  escalateAfterMs: number;
};

/** The escalation is due SLA_ESCALATE_AFTER_MINUTES after the breach. */
export const escalationDueAt = (deps: Pick<SlaTimerDeps, "escalateAfterMs">, breachedAt: Date) =>
  new Date(breachedAt.getTime() + deps.escalateAfterMs);

/** Arms the deadline timer of every new inquiry except phone leads, which are answered by the call itself. */
export function armDeadlineTimer(deps: SlaTimerDeps): Subscriber<"inquiry.created"> {
  return {
    name: "sla.arm_deadline",
    type: "inquiry.created",
    wants: (event) => event.payload.source !== "phone",
    // Outside the transaction: a queue on Redis is no part of it, and the job id makes a repeat harmless.
    repeatable: true,
    async perform(event) {
      const { inquiry_id: inquiryId, sla_deadline_at: deadline } = event.payload;
      await deadlineTimer.arm(deps.jobs, inquiryId, new Date(deadline), deps.now());
    },
  };
}

/** After a breach, the escalation timer: SLA_ESCALATE_AFTER_MINUTES from the breach. */
export function armEscalationTimer(deps: SlaTimerDeps): Subscriber<"inquiry.sla_breached"> {
  return {
    name: "sla.arm_escalation",
    type: "inquiry.sla_breached",
    repeatable: true,
    async perform(event) {
      const at = escalationDueAt(deps, new Date(event.payload.breached_at));
      await escalationTimer.arm(deps.jobs, event.payload.inquiry_id, at, deps.now());
    },
  };
}

/** The first response disarms both timers; one that already started finds the inquiry answered and does nothing. */
export function disarmTimers(deps: SlaTimerDeps): Subscriber<"inquiry.first_response"> {
  return {
    name: "sla.disarm",
    type: "inquiry.first_response",
    repeatable: true,
    async perform(event) {
      await deadlineTimer.disarm(deps.jobs, event.payload.inquiry_id);
      await escalationTimer.disarm(deps.jobs, event.payload.inquiry_id);
    },
  };
}
