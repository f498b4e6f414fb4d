ALTER TYPE "public"."staff_notice_kind" ADD VALUE 'customer_proof' BEFORE 'telegram_relinked';--> statement-breakpoint
ALTER TABLE "payment_proofs" ALTER COLUMN "uploaded_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD CONSTRAINT "payment_proofs_via_check" CHECK ("payment_proofs"."via" in ('api', 'telegram', 'customer'));--> statement-breakpoint
ALTER TABLE "payment_proofs" ADD CONSTRAINT "payment_proofs_uploader_check" CHECK (("payment_proofs"."via" = 'customer') = ("payment_proofs"."uploaded_by" is null));