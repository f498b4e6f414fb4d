ALTER TYPE "public"."booking_status" ADD VALUE 'no_show' BEFORE 'cancelled';--> statement-breakpoint
ALTER TABLE "inquiry_metrics_daily" ADD COLUMN "no_show_count" integer DEFAULT 0 NOT NULL;