CREATE TABLE "partner_notification_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"notification_id" uuid NOT NULL,
	"attempt_number" integer NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"attempted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_notification_attempts_notification_id_attempt_number_key" UNIQUE("notification_id","attempt_number")
);
--> statement-breakpoint
CREATE TABLE "partner_notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partner_code" text NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"type" text NOT NULL,
	"webhook_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"url" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_status_code" integer,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_notifications_webhook_id_key" UNIQUE("webhook_id"),
	CONSTRAINT "partner_notifications_status_check" CHECK ("partner_notifications"."status" in ('failing', 'delivered', 'rejected'))
);
--> statement-breakpoint
ALTER TABLE "partner_notification_attempts" ADD CONSTRAINT "partner_notification_attempts_notification_id_partner_notifications_id_fk" FOREIGN KEY ("notification_id") REFERENCES "public"."partner_notifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_notifications" ADD CONSTRAINT "partner_notifications_partner_code_partners_code_fk" FOREIGN KEY ("partner_code") REFERENCES "public"."partners"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_notifications" ADD CONSTRAINT "partner_notifications_inquiry_id_inquiries_id_fk" FOREIGN KEY ("inquiry_id") REFERENCES "public"."inquiries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_notifications_partner_code_idx" ON "partner_notifications" USING btree ("partner_code","created_at");