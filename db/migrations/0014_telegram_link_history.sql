ALTER TYPE "public"."staff_notice_kind" ADD VALUE 'telegram_relinked';--> statement-breakpoint
CREATE TABLE "staff_telegram_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"telegram_user_id" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unlinked_at" timestamp with time zone,
	CONSTRAINT "staff_telegram_links_period_check" CHECK ("staff_telegram_links"."unlinked_at" is null or "staff_telegram_links"."unlinked_at" >= "staff_telegram_links"."linked_at")
);
--> statement-breakpoint
ALTER TABLE "staff_notices" ALTER COLUMN "inquiry_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD COLUMN "sender_telegram_user_id" text;--> statement-breakpoint
ALTER TABLE "staff_telegram_links" ADD CONSTRAINT "staff_telegram_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_telegram_links_open_user_key" ON "staff_telegram_links" USING btree ("user_id") WHERE "staff_telegram_links"."unlinked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "staff_telegram_links_open_telegram_key" ON "staff_telegram_links" USING btree ("telegram_user_id") WHERE "staff_telegram_links"."unlinked_at" is null;--> statement-breakpoint
CREATE INDEX "staff_telegram_links_user_telegram_idx" ON "staff_telegram_links" USING btree ("user_id","telegram_user_id");--> statement-breakpoint
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_inquiry_check" CHECK ("staff_notices"."inquiry_id" is not null or "staff_notices"."kind"::text = 'telegram_relinked');--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD CONSTRAINT "payment_proofs_sender_check" CHECK ("payment_proofs"."sender_telegram_user_id" is null or "payment_proofs"."via" = 'telegram');