-- Two active bookings of one resource never overlap, whatever races the application loses: the database refuses the
-- second. btree_gist gives GiST the uuid equality the constraint needs (PGlite loads it as an extension).
-- The statuses are ACTIVE_BOOKING_STATUSES in db/schema/enums.ts (test/db/schema.test.ts checks they match).
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("resource_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('held', 'awaiting_deposit', 'confirmed'));
