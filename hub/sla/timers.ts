// The SLA timers: delayed jobs armed and disarmed by events, one per inquiry and step, with ids from the inquiry id.
import type { Subscriber } from "../events/bus";
import type { JobDriver } from "../jobs/driver";
import { SLA_QUEUE } from "../jobs/queues";

export const DEADLINE_JOB = "sla.deadline";
export const ESCALATION_JOB = "sla.escalate";

/** A second arming of the same inquiry's timer is a no-op in either driver. */
export const deadlineJobId = (inquiryId: string) => `sla-deadline-${inquiryId}`;
export const escalationJobId = (inquiryId: string) => `sla-escalate-${inquiryId}`;

export interface SlaTimerJob {
  inquiry_id: string;
}

export interface SlaTimerDeps {
  jobs: JobDriver;
  now: () => Date;
  /** SLA_ESCALATE_AFTER_MINUTES in milliseconds. */
  escalateAfterMs: number;
}

const delayUntil = (at: Date, now: Date) => Math.max(0, at.getTime() - now.getTime());

export function armDeadline(jobs: JobDriver, inquiryId: string, deadline: Date, now: Date) {
  return jobs.enqueue(SLA_QUEUE, DEADLINE_JOB, { inquiry_id: inquiryId } satisfies SlaTimerJob, {
    jobId: deadlineJobId(inquiryId),
    delayMs: delayUntil(deadline, now),
  });
}

export function armEscalation(jobs: JobDriver, inquiryId: string, at: Date, now: Date) {
  return jobs.enqueue(SLA_QUEUE, ESCALATION_JOB, { inquiry_id: inquiryId } satisfies SlaTimerJob, {
    jobId: escalationJobId(inquiryId),
    delayMs: delayUntil(at, now),
  });
}

/** Arms the deadline timer of every new inquiry except phone leads, which are answered by the call itself. */
export function armDeadlineTimer(deps: SlaTimerDeps): Subscriber<"inquiry.created"> {
  return {
    name: "sla.arm_deadline",
    type: "inquiry.created",
    wants: (event) => event.payload.source !== "phone",
    // Outside the transaction: a queue on Redis is no part of it, and the job id makes a repeat harmless.
    async perform(event) {
      await armDeadline(deps.jobs, event.payload.inquiry_id, new Date(event.payload.sla_deadline_at), deps.now());
    },
    async handle() {},
  };
}

/** After a breach, the escalation timer: SLA_ESCALATE_AFTER_MINUTES from the breach. */
export function armEscalationTimer(deps: SlaTimerDeps): Subscriber<"inquiry.sla_breached"> {
  return {
    name: "sla.arm_escalation",
    type: "inquiry.sla_breached",
    async perform(event) {
      const at = new Date(new Date(event.payload.breached_at).getTime() + deps.escalateAfterMs);
      await armEscalation(deps.jobs, event.payload.inquiry_id, at, deps.now());
    },
    async handle() {},
  };
}

/** The first response disarms both timers; one that already started finds the inquiry answered and does nothing. */
export function disarmTimers(deps: SlaTimerDeps): Subscriber<"inquiry.first_response"> {
  return {
    name: "sla.disarm",
    type: "inquiry.first_response",
    async perform(event) {
      await deps.jobs.cancel(SLA_QUEUE, deadlineJobId(event.payload.inquiry_id));
      await deps.jobs.cancel(SLA_QUEUE, escalationJobId(event.payload.inquiry_id));
    },
    async handle() {},
  };
}
