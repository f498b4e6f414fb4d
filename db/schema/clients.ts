// Clients (the people behind leads) and the identities that recognise them across channels.
import { index, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";
import { clientIdentityKind } from "./enums";

export const clients = pgTable("clients", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name"),
  /** E.164, normalised with libphonenumber-js. */
  phone: text("phone"),
  email: text("email"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One row per way of recognising a client; the primary key makes one phone or Telegram user one client. */
export const clientIdentities = pgTable(
  "client_identities",
  {
    kind: clientIdentityKind("kind").notNull(),
    value: text("value").notNull(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index("client_identities_client_id_idx").on(t.clientId)],
);
