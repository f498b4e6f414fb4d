// Partners (agencies) that submit leads; `code` is what an inquiry's partner_code points at (hard rule 2).
import { sql } from "drizzle-orm";
import { check, numeric, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, updatedAt } from "./columns";

export const partners = pgTable(
  "partners",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: text("code").notNull().unique(),
    name: text("name").notNull(),
    commissionPercent: numeric("commission_percent", { precision: 5, scale: 2 }).notNull().default("0"),
    // text with a check, as in the user's note, rather than an enum: statuses may grow without a type change.
    status: text("status").notNull().default("active"),
    /**
     * Standard Webhooks secret (`whsec_` + base64), shown once at creation. Kept as is: verifying an HMAC needs the
     * secret itself, not a hash of it.
     */
    signingSecret: text("signing_secret"),
    /** Where the partner wants signed notifications about its leads (booked, paid, lost); none when null. */
    webhookUrl: text("webhook_url"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("partners_status_check", sql`${t.status} in ('active', 'suspended')`),
    check("partners_commission_percent_check", sql`${t.commissionPercent} between 0 and 100`),
    check("partners_code_check", sql`${t.code} ~ '^[a-z0-9][a-z0-9_-]{1,62}$'`),
  ],
);
