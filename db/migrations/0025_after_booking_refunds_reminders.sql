CREATE TABLE "booking_reminders" (
	"booking_id" uuid NOT NULL,
	"minutes_before" integer NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "booking_reminders_booking_id_minutes_before_pk" PRIMARY KEY("booking_id","minutes_before"),
	CONSTRAINT "booking_reminders_outcome_check" CHECK ("booking_reminders"."outcome" in ('sent', 'no_chat'))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancel_refund" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "reconfirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "cancel_asked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "requested_by" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "booking_reminders" ADD CONSTRAINT "booking_reminders_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_cancel_refund_check" CHECK ("bookings"."cancel_refund" in ('full', 'none'));