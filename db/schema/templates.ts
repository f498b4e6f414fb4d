// Message texts changed without code: a row here overrides the built-in English text of the same key.
import { pgTable, text, uuid } from "drizzle-orm/pg-core";
import { updatedAt } from "./columns";
import { users } from "./users";

export const messageTemplates = pgTable("message_templates", {
  key: text("key").primaryKey(),
  body: text("body").notNull(),
  updatedBy: uuid("updated_by").references(() => users.id),
  updatedAt: updatedAt(),
});
