-- Hard rule 7 in the database: a manual payment becomes paid only with a manager's approval row, written in the
-- same transaction (payments/manual's approval does both); and a paid attempt can only be refunded afterwards, so no
-- later code path can quietly unpay or re-pay it.
CREATE FUNCTION "payments_guard_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."status" = 'paid' AND NEW."status" IS DISTINCT FROM OLD."status" AND NEW."provider" = 'manual'
     AND NOT EXISTS (SELECT 1 FROM "manual_payment_approvals" a WHERE a."payment_id" = NEW."id") THEN
    RAISE EXCEPTION 'manual payment % cannot be paid without a manager''s approval', NEW."id" USING ERRCODE = 'check_violation';
  END IF;
  IF OLD."status" = 'paid' AND NEW."status" NOT IN ('paid', 'refunded') THEN
    RAISE EXCEPTION 'paid payment % can only be refunded, not made %', NEW."id", NEW."status" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "payments_guard_status" BEFORE UPDATE OF "status" ON "payments"
  FOR EACH ROW EXECUTE FUNCTION "payments_guard_status"();--> statement-breakpoint
CREATE FUNCTION "payments_insert_not_paid"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- An attempt is born waiting; paid is reached only through an update the guard above checks.
  IF NEW."type" <> 'refund' AND NEW."status" NOT IN ('creating', 'open') THEN
    RAISE EXCEPTION 'a new payment attempt must start creating or open, not %', NEW."status" USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "payments_insert_not_paid" BEFORE INSERT ON "payments"
  FOR EACH ROW EXECUTE FUNCTION "payments_insert_not_paid"();
