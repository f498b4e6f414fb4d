-- payments.refunded_at for the rows refunded before the column existed: their last update was the move to
-- `refunded` (nothing moves a refunded row again), so updated_at is when it happened.
UPDATE "payments" SET "refunded_at" = "updated_at" WHERE "status" = 'refunded' AND "refunded_at" IS NULL;
