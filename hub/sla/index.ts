// The front door of hub/sla: what code outside it may use. Everything else in the folder is its own.
export { slaTimerHandler } from "./breach";
export { type BusinessPeriod, BusinessPeriodSchema, addOpenMinutes } from "./business-hours";
export { type SlaRule, slaDeadline, slaRuleColumns } from "./deadline";
export { recordFirstResponse } from "./first-response";
export { type OpenBreaches, openSlaBreaches } from "./open-breaches";
export { type Holiday, addHoliday, listHolidays, removeHoliday } from "./holidays";
export {
  INQUIRY_SOURCES,
  SLA_CLOCKS,
  type SlaPolicy,
  type SlaPolicyChange,
  changeSlaPolicy,
  listSlaPolicies,
} from "./policies";
export { rearmSlaTimers } from "./rearm";
export { SLA_STATUSES, WORKABLE_STATUSES, slaStatus } from "./status";
export { type SlaTimerDeps, armDeadlineTimer, armEscalationTimer, disarmTimers } from "./timers";
