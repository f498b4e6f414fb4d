-- UK GDPR erasure (hub/clients): the audit log stays append-only, with one exception. A transaction that says it is
-- an erasure (set_config('hub.audit_redaction', 'on', true), local to it) may replace an entry's before and after,
-- and nothing else: id, at, the actor, the action and the entity stay as written. Every other UPDATE, any DELETE
-- and TRUNCATE are refused as before.
CREATE OR REPLACE FUNCTION "audit_log_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF current_setting('hub.audit_redaction', true) = 'on'
      AND NEW.id = OLD.id AND NEW.at = OLD.at
      AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_kind = OLD.actor_kind
      AND NEW.action = OLD.action AND NEW.entity_type = OLD.entity_type AND NEW.entity_id = OLD.entity_id THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
