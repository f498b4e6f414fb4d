// Response deadline per source; the pipeline reads it for every new inquiry (hard rule 9).
import { sql } from "drizzle-orm";
import { check, integer, pgTable, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { inquirySource } from "./enums";
import { users } from "./users";

export const slaPolicies = pgTable(
  "sla_policies",
  {
    source: inquirySource("source").primaryKey(),
    deadlineMinutes: integer("deadline_minutes").notNull(),
    updatedAt: updatedAt(),
    updatedBy: uuid("updated_by").references(() => users.id),
  },
  (t) => [check("sla_policies_deadline_minutes_check", sql`${t.deadlineMinutes} between 1 and 10080`)],
);
