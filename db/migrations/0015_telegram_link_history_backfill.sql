-- The Telegram links made before staff_telegram_links existed, rebuilt from the audit log: every /link was audited as
-- operator.telegram_linked (the staff member, the Telegram user, when). A link lasted until that staff member linked
-- again, or that Telegram account was linked to somebody else; users.telegram_user_id says which still hold.
WITH "linked" AS (
  SELECT a."id", u."id" AS "user_id", a."after"->>'telegram_user_id' AS "telegram_user_id", a."at" AS "linked_at"
  FROM "audit_log" a
  JOIN "users" u ON u."id"::text = a."entity_id"
  WHERE a."action" = 'operator.telegram_linked' AND a."entity_type" = 'user' AND a."after"->>'telegram_user_id' IS NOT NULL
), "ended" AS (
  SELECT l.*, LEAST(
    (SELECT min(n."linked_at") FROM "linked" n WHERE n."user_id" = l."user_id" AND (n."linked_at", n."id") > (l."linked_at", l."id")),
    (SELECT min(n."linked_at") FROM "linked" n
      WHERE n."telegram_user_id" = l."telegram_user_id" AND n."user_id" <> l."user_id" AND (n."linked_at", n."id") > (l."linked_at", l."id"))
  ) AS "unlinked_at"
  FROM "linked" l
)
INSERT INTO "staff_telegram_links" ("user_id", "telegram_user_id", "linked_at", "unlinked_at")
SELECT e."user_id", e."telegram_user_id", e."linked_at",
  CASE
    WHEN e."unlinked_at" IS NOT NULL THEN e."unlinked_at"
    WHEN EXISTS (SELECT 1 FROM "users" u WHERE u."id" = e."user_id" AND u."telegram_user_id" = e."telegram_user_id") THEN NULL
    -- Undone without a later link (by hand): known closed from now.
    ELSE now()
  END
FROM "ended" e;
--> statement-breakpoint
-- A link with no audit entry behind it (made by hand): known from now.
INSERT INTO "staff_telegram_links" ("user_id", "telegram_user_id")
SELECT u."id", u."telegram_user_id" FROM "users" u
WHERE u."telegram_user_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "staff_telegram_links" l WHERE l."user_id" = u."id" AND l."unlinked_at" IS NULL);
--> statement-breakpoint
-- A proof sent from Telegram came from the account linked to its uploader at that moment.
UPDATE "payment_proofs" p SET "sender_telegram_user_id" = l."telegram_user_id"
FROM "staff_telegram_links" l
WHERE p."via" = 'telegram' AND p."sender_telegram_user_id" IS NULL
  AND l."user_id" = p."uploaded_by" AND l."linked_at" <= p."created_at" AND (l."unlinked_at" IS NULL OR l."unlinked_at" > p."created_at");
