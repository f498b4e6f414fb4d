// The transactional outbox (written with the state change) and the per-handler record that makes effects happen once.
import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant, storableJsonb } from "./columns";

export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    aggregateType: text("aggregate_type").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    payload: storableJsonb("payload").notNull(),
    createdAt: createdAt(),
    publishedAt: instant("published_at"),
    /**
     * Every subscriber has handled it. Published but never processed, and its job gone: the relay publishes it again.
     */
    processedAt: instant("processed_at"),
    /** A relay that claimed the event holds it until then; after a crash another relay takes it over. */
    claimedUntil: instant("claimed_until"),
    publishAttempts: integer("publish_attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [
    index("outbox_events_unpublished_idx").on(t.createdAt).where(sql`${t.publishedAt} is null`),
    index("outbox_events_unprocessed_idx").on(t.publishedAt).where(sql`${t.processedAt} is null`),
  ],
);

export const processedEvents = pgTable(
  "processed_events",
  {
    eventId: uuid("event_id").notNull(),
    handler: text("handler").notNull(),
    processedAt: instant("processed_at").notNull().defaultNow(),
  },
  // processed_at: the hourly prune finds month-old markers without reading them all.
  (t) => [
    primaryKey({ columns: [t.eventId, t.handler] }),
    index("processed_events_processed_at_idx").on(t.processedAt),
  ],
);
