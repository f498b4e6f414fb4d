// Column helpers every table shares: instants are timestamptz (UTC in the database, hard rule 8).
import { customType, timestamp } from "drizzle-orm/pg-core";
import { storableValue } from "../storable";

export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => instant("created_at").notNull().defaultNow();
export const updatedAt = () => instant("updated_at").notNull().defaultNow();

/**
 * jsonb for what came from outside (a webhook's body, an audited change): its strings are made storable on the way
 * in, since jsonb refuses NUL and half a surrogate pair (22P05, 22P02) and the whole write would fail with them.
 */
export const storableJsonb = customType<{ data: unknown; driverData: string }>({
  dataType: () => "jsonb",
  toDriver: (value) => JSON.stringify(storableValue(value)),
  // Read as drizzle's own jsonb reads: postgres-js hands over the text, PGlite the parsed value.
  fromDriver: (value) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
});
