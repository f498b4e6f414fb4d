// Closed dates (London calendar days): a business-hours SLA clock does not run on them. Seeded with the England and
// Wales bank holidays; managers add and remove their own.
import { sql } from "drizzle-orm";
import { check, date, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { users } from "./users";

export const holidays = pgTable(
  "holidays",
  {
    date: date("date", { mode: "string" }).primaryKey(),
    name: text("name").notNull(),
    createdAt: createdAt(),
    /** Null for the seeded bank holidays. */
    createdBy: uuid("created_by").references(() => users.id),
  },
  (t) => [check("holidays_name_check", sql`length(${t.name}) between 1 and 200`)],
);
