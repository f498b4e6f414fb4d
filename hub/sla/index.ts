// The front door of hub/sla: what code outside it may use. Everything else in the folder is its own.
export { slaTimerHandler } from "./breach";
export { recordFirstResponse } from "./first-response";
export { type OpenBreaches, openSlaBreaches } from "./open-breaches";
export { INQUIRY_SOURCES, type SlaPolicy, changeSlaPolicy, listSlaPolicies } from "./policies";
export { rearmSlaTimers } from "./rearm";
export { SLA_STATUSES, WORKABLE_STATUSES, slaStatus } from "./status";
export { type SlaTimerDeps, armDeadlineTimer, armEscalationTimer, disarmTimers } from "./timers";
