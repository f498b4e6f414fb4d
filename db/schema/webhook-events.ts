// Every inbound webhook that was verified and accepted, kept as received; one row per channel event id.
import { pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { instant, storableJsonb } from "./columns";
import { inquirySource } from "./enums";

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    source: inquirySource("source").notNull(),
    /** The channel's own id for the delivery (Telegram update_id, WhatsApp entry id, webhook-id header…). */
    externalEventId: text("external_event_id").notNull(),
    payload: storableJsonb("payload").notNull(),
    receivedAt: instant("received_at").notNull().defaultNow(),
  },
  (t) => [unique("webhook_events_source_external_event_id_key").on(t.source, t.externalEventId)],
);
