// Contacts staff logged with a customer outside the chat (a call, an e-mail, a visit): each one is a response.
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt } from "./columns";
import { contactKind } from "./enums";
import { inquiries } from "./inquiries";
import { users } from "./users";

export const inquiryContacts = pgTable(
  "inquiry_contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    inquiryId: uuid("inquiry_id")
      .notNull()
      .references(() => inquiries.id),
    kind: contactKind("kind").notNull(),
    note: text("note").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("inquiry_contacts_inquiry_id_idx").on(t.inquiryId, t.createdAt)],
);
