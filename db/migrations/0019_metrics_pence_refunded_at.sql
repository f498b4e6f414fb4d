ALTER TABLE "inquiry_metrics_daily" ALTER COLUMN "revenue" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "refunded_at" timestamp with time zone;