CREATE TYPE "public"."contact_kind" AS ENUM('call', 'email', 'in_person');--> statement-breakpoint
CREATE TYPE "public"."staff_notice_kind" AS ENUM('new_inquiry', 'customer_message', 'sla_breached', 'sla_escalated');--> statement-breakpoint
CREATE TYPE "public"."staff_notice_status" AS ENUM('queued', 'sent', 'failed');--> statement-breakpoint
CREATE TABLE "inquiry_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"kind" "contact_kind" NOT NULL,
	"note" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"inquiry_id" uuid NOT NULL,
	"kind" "staff_notice_kind" NOT NULL,
	"chat_id" text NOT NULL,
	"body" text NOT NULL,
	"status" "staff_notice_status" DEFAULT 'queued' NOT NULL,
	"telegram_message_id" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_notices_telegram_message_id_key" UNIQUE("telegram_message_id")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "notify_new_inquiries" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "assignee_id" uuid;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "first_response_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "inquiries" ADD COLUMN "sla_escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "author_id" uuid;--> statement-breakpoint
ALTER TABLE "inquiry_contacts" ADD CONSTRAINT "inquiry_contacts_inquiry_id_inquiries_id_fk" FOREIGN KEY ("inquiry_id") REFERENCES "public"."inquiries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inquiry_contacts" ADD CONSTRAINT "inquiry_contacts_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_notices" ADD CONSTRAINT "staff_notices_inquiry_id_inquiries_id_fk" FOREIGN KEY ("inquiry_id") REFERENCES "public"."inquiries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inquiry_contacts_inquiry_id_idx" ON "inquiry_contacts" USING btree ("inquiry_id","created_at");--> statement-breakpoint
CREATE INDEX "staff_notices_inquiry_id_idx" ON "staff_notices" USING btree ("inquiry_id");--> statement-breakpoint
ALTER TABLE "inquiries" ADD CONSTRAINT "inquiries_assignee_id_users_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inquiries_assignee_id_idx" ON "inquiries" USING btree ("assignee_id","status");