CREATE TYPE "public"."sla_clock" AS ENUM('wall', 'business');--> statement-breakpoint
CREATE TABLE "holidays" (
	"date" date PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "holidays_name_check" CHECK (length("holidays"."name") between 1 and 200)
);
--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "clock" "sla_clock" DEFAULT 'wall' NOT NULL;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD COLUMN "business_hours" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "holidays" ADD CONSTRAINT "holidays_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_business_hours_check" CHECK (("sla_policies"."clock" = 'wall') = (jsonb_array_length("sla_policies"."business_hours") = 0));--> statement-breakpoint
-- The England and Wales bank holidays of 2026-2030, closed dates for the business-hours SLA clock (docs/after-booking.md
-- lists them): 2026-2027 as GOV.UK publishes them, 2028-2030 by the standing rules, substitute weekdays included.
-- Managers add a one-off holiday, or another nation's, through POST /holidays.
INSERT INTO "holidays" ("date", "name") VALUES
  ('2026-01-01', 'New Year''s Day'), ('2026-04-03', 'Good Friday'), ('2026-04-06', 'Easter Monday'), ('2026-05-04', 'Early May bank holiday'),
  ('2026-05-25', 'Spring bank holiday'), ('2026-08-31', 'Summer bank holiday'), ('2026-12-25', 'Christmas Day'), ('2026-12-28', 'Boxing Day (substitute day)'),
  ('2027-01-01', 'New Year''s Day'), ('2027-03-26', 'Good Friday'), ('2027-03-29', 'Easter Monday'), ('2027-05-03', 'Early May bank holiday'),
  ('2027-05-31', 'Spring bank holiday'), ('2027-08-30', 'Summer bank holiday'), ('2027-12-27', 'Christmas Day (substitute day)'), ('2027-12-28', 'Boxing Day (substitute day)'),
  ('2028-01-03', 'New Year''s Day (substitute day)'), ('2028-04-14', 'Good Friday'), ('2028-04-17', 'Easter Monday'), ('2028-05-01', 'Early May bank holiday'),
  ('2028-05-29', 'Spring bank holiday'), ('2028-08-28', 'Summer bank holiday'), ('2028-12-25', 'Christmas Day'), ('2028-12-26', 'Boxing Day'),
  ('2029-01-01', 'New Year''s Day'), ('2029-03-30', 'Good Friday'), ('2029-04-02', 'Easter Monday'), ('2029-05-07', 'Early May bank holiday'),
  ('2029-05-28', 'Spring bank holiday'), ('2029-08-27', 'Summer bank holiday'), ('2029-12-25', 'Christmas Day'), ('2029-12-26', 'Boxing Day'),
  ('2030-01-01', 'New Year''s Day'), ('2030-04-19', 'Good Friday'), ('2030-04-22', 'Easter Monday'), ('2030-05-06', 'Early May bank holiday'),
  ('2030-05-27', 'Spring bank holiday'), ('2030-08-26', 'Summer bank holiday'), ('2030-12-25', 'Christmas Day'), ('2030-12-26', 'Boxing Day')
ON CONFLICT ("date") DO NOTHING;
