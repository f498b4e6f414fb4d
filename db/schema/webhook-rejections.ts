// Inbound webhooks refused for their signature, kept a few days so that GET /health/system can say how many came in
// the last 24 h on any process (a count in memory would be one process's, and gone at a restart).
import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns";

export const webhookRejections = pgTable(
  "webhook_rejections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The path that refused it: /webhooks/telegram, /webhooks/stripe… */
    endpoint: text("endpoint").notNull(),
    /** Who it claimed to come from: a channel (telegram, whatsapp, partner) or a payment slot (stripe, secondary). */
    sender: text("sender").notNull(),
    /** Why it was refused, as the sender was told. */
    reason: text("reason").notNull(),
    rejectedAt: instant("rejected_at").notNull().defaultNow(),
  },
  (t) => [index("webhook_rejections_rejected_at_idx").on(t.rejectedAt)],
);
