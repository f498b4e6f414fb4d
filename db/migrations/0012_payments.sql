ALTER TYPE "public"."staff_notice_kind" ADD VALUE 'payment_switched';--> statement-breakpoint
ALTER TYPE "public"."staff_notice_kind" ADD VALUE 'manual_payment_required';--> statement-breakpoint
ALTER TYPE "public"."staff_notice_kind" ADD VALUE 'duplicate_payment';--> statement-breakpoint
CREATE TABLE "manual_payment_approvals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"approved_by" uuid NOT NULL,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text NOT NULL,
	CONSTRAINT "manual_payment_approvals_payment_id_unique" UNIQUE("payment_id")
);
--> statement-breakpoint
CREATE TABLE "partner_commissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_code" text NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"percent" numeric(5, 2) NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_commissions_payment_id_unique" UNIQUE("payment_id"),
	CONSTRAINT "partner_commissions_amount_check" CHECK ("partner_commissions"."amount" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payment_proofs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"payment_id" uuid NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"via" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"comment" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_proofs_comment_check" CHECK (length(trim("payment_proofs"."comment")) > 0),
	CONSTRAINT "payment_proofs_size_check" CHECK ("payment_proofs"."size_bytes" > 0 and "payment_proofs"."size_bytes" <= 10485760)
);
--> statement-breakpoint
CREATE TABLE "payment_provider_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"provider" "payment_provider" NOT NULL,
	"operation" text NOT NULL,
	"duration_ms" integer NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" "payment_provider" NOT NULL,
	"provider_name" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"kind" text NOT NULL,
	"payment_id" uuid,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_webhook_events_provider_event_key" UNIQUE("provider","event_id")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"booking_id" uuid NOT NULL,
	"provider" "payment_provider" NOT NULL,
	"provider_payment_id" text,
	"provider_name" text NOT NULL,
	"type" text DEFAULT 'deposit' NOT NULL,
	"status" text DEFAULT 'creating' NOT NULL,
	"amount" numeric(10, 2) NOT NULL,
	"currency" text NOT NULL,
	"attempt_number" integer DEFAULT 1 NOT NULL,
	"is_fallback" boolean DEFAULT false NOT NULL,
	"round" integer DEFAULT 1 NOT NULL,
	"checkout_url" text,
	"expires_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"failure_reason" text,
	"refund_of" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"raw" jsonb,
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount" > 0),
	CONSTRAINT "payments_currency_check" CHECK ("payments"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('creating', 'open', 'awaiting_approval', 'paid', 'failed', 'cancelled', 'expired', 'refunded')),
	CONSTRAINT "payments_type_check" CHECK ("payments"."type" in ('deposit', 'full', 'refund')),
	CONSTRAINT "payments_refund_of_check" CHECK (("payments"."type" = 'refund') = ("payments"."refund_of" is not null))
);
--> statement-breakpoint
ALTER TABLE "staff_notices" ADD COLUMN "payment_id" uuid;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "pay_token" text;--> statement-breakpoint
ALTER TABLE "manual_payment_approvals" ADD CONSTRAINT "manual_payment_approvals_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_payment_approvals" ADD CONSTRAINT "manual_payment_approvals_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_commissions" ADD CONSTRAINT "partner_commissions_inquiry_id_inquiries_id_fk" FOREIGN KEY ("inquiry_id") REFERENCES "public"."inquiries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_commissions" ADD CONSTRAINT "partner_commissions_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD CONSTRAINT "payment_proofs_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD CONSTRAINT "payment_proofs_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_webhook_events" ADD CONSTRAINT "payment_webhook_events_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_proofs_payment_idx" ON "payment_proofs" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "payment_provider_calls_provider_created_idx" ON "payment_provider_calls" USING btree ("provider","created_at");--> statement-breakpoint
CREATE INDEX "payment_webhook_events_received_idx" ON "payment_webhook_events" USING btree ("provider","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_booking_attempt_key" ON "payments" USING btree ("booking_id","attempt_number") WHERE "payments"."type" <> 'refund';--> statement-breakpoint
CREATE UNIQUE INDEX "payments_provider_payment_key" ON "payments" USING btree ("provider","provider_payment_id") WHERE "payments"."provider_payment_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_one_live_attempt_key" ON "payments" USING btree ("booking_id") WHERE "payments"."type" <> 'refund' and "payments"."status" in ('creating', 'open', 'awaiting_approval');--> statement-breakpoint
CREATE INDEX "payments_status_provider_idx" ON "payments" USING btree ("status","provider");--> statement-breakpoint
CREATE INDEX "payments_created_at_idx" ON "payments" USING btree ("created_at");--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_pay_token_unique" UNIQUE("pay_token");