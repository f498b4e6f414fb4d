// Work items for people ("Payment switched to backup", "Manual payment required", SLA follow-ups).
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb, updatedAt } from "./columns";
import { taskStatus } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    title: text("title").notNull(),
    status: taskStatus("status").notNull().default("open"),
    inquiryId: uuid("inquiry_id").references(() => inquiries.id),
    assigneeId: uuid("assignee_id").references(() => users.id),
    payload: storableJsonb("payload").notNull().default({}),
    dueAt: instant("due_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    completedAt: instant("completed_at"),
  },
  (t) => [index("tasks_status_due_at_idx").on(t.status, t.dueAt)],
);
