// Response deadline per source; the pipeline reads it for every new inquiry (hard rule 9).
import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgEnum, pgTable, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { inquirySource } from "./enums";
import { users } from "./users";

/**
 * How a policy's minutes are counted: `wall` on the London wall clock from arrival (hard rule 9, the default);
 * `business` only inside the policy's business hours, skipping the dates in `holidays`.
 */
export const SLA_CLOCKS = ["wall", "business"] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];
export const slaClock = pgEnum("sla_clock", SLA_CLOCKS);

/** One open period of a week day in London wall time, `opens` before `closes`; `closes` may be `24:00`. */
export interface BusinessPeriod {
  day: "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
  opens: string;
  closes: string;
}

export const slaPolicies = pgTable(
  "sla_policies",
  {
    source: inquirySource("source").primaryKey(),
    deadlineMinutes: integer("deadline_minutes").notNull(),
    clock: slaClock("clock").notNull().default("wall"),
    /** Empty with the wall clock; at least one period with the business clock. */
    businessHours: jsonb("business_hours").$type<BusinessPeriod[]>().notNull().default([]),
    updatedAt: updatedAt(),
    updatedBy: uuid("updated_by").references(() => users.id),
  },
  (t) => [
    check("sla_policies_deadline_minutes_check", sql`${t.deadlineMinutes} between 1 and 10080`),
    check(
      "sla_policies_business_hours_check",
      sql`(${t.clock} = 'wall') = (jsonb_array_length(${t.businessHours}) = 0)`,
    ),
  ],
);
