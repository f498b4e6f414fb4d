-- A phone lead is itself a contact with the customer: its first response is the call. Leads logged before
-- first_response_at existed get it here, before the next migration makes it a rule.
UPDATE "inquiries" SET "first_response_at" = "received_at" WHERE "source" = 'phone' AND "first_response_at" IS NULL;
