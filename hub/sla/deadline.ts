// A lead's SLA deadline: its source's minutes from arrival, on the policy's clock. The wall clock is hard rule 9
// exactly; the business clock counts only open minutes (business-hours.ts).
import { sql } from "drizzle-orm";
import { type BusinessPeriod, holidays, type SlaClock, slaPolicies } from "../../db/schema";
import { addLondonWallMinutes, londonDate } from "../core/time";
import { addOpenMinutes } from "./business-hours";

export interface SlaRule {
  deadlineMinutes: number;
  clock: SlaClock;
  businessHours: BusinessPeriod[];
  /** The closed dates from the arrival's London date on, comma-separated; null with the wall clock or none. */
  closedDates: string | null;
}

/**
 * What to select from sla_policies (filtered to the source) for slaDeadline: the holidays come in the same statement,
 * and only for a business clock, so a wall-clock intake reads nothing more than before.
 */
export const slaRuleColumns = (receivedAt: Date) => ({
  deadlineMinutes: slaPolicies.deadlineMinutes,
  clock: slaPolicies.clock,
  businessHours: slaPolicies.businessHours,
  closedDates: sql<
    string | null
  >`case when ${slaPolicies.clock} = 'business' then (select string_agg(${holidays.date}::text, ',') from ${holidays} where ${holidays.date} >= ${londonDate(receivedAt)}::date) end`,
});

export function slaDeadline(rule: SlaRule, receivedAt: Date): Date {
  if (rule.clock === "wall") return addLondonWallMinutes(receivedAt, rule.deadlineMinutes);
  const closed = new Set(rule.closedDates ? rule.closedDates.split(",") : []);
  return addOpenMinutes(receivedAt, rule.deadlineMinutes, rule.businessHours, closed);
}
