-- audit_log is append-only in the database itself, whatever the application does.
CREATE FUNCTION "audit_log_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_or_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_reject_change"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_reject_change"();--> statement-breakpoint
-- Default response deadlines per source, in minutes; managers change them through PUT /sla-policies/:source.
INSERT INTO "sla_policies" ("source", "deadline_minutes") VALUES
  ('whatsapp', 15), ('telegram', 15), ('phone', 30), ('web_form', 60), ('partner', 120)
ON CONFLICT ("source") DO NOTHING;
