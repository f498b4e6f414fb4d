// Job table behind the in-process job driver (the embedded default); BullMQ keeps its own state in Redis.
import { index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb, updatedAt } from "./columns";
import { jobStatus } from "./enums";

export const jobs = pgTable(
  "jobs",
  {
    queue: text("queue").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    data: storableJsonb("data").notNull(),
    status: jobStatus("status").notNull().default("waiting"),
    runAt: instant("run_at").notNull().defaultNow(),
    attemptsMade: integer("attempts_made").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull(),
    /** While active, the claim lasts until then; a job whose worker died is claimed again after it. */
    lockedUntil: instant("locked_until"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    finishedAt: instant("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.queue, t.id] }),
    index("jobs_queue_status_run_at_idx").on(t.queue, t.status, t.runAt),
  ],
);
