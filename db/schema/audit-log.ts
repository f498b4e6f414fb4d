// Who changed what, before and after. Append-only: a trigger in the migrations rejects UPDATE, DELETE and TRUNCATE.
import { bigint, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant, storableJsonb } from "./columns";

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: instant("at").notNull().defaultNow(),
    /** The user who acted; null when the system acted on its own (then actor_kind says which part). */
    actorId: uuid("actor_id"),
    actorKind: text("actor_kind").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: storableJsonb("before"),
    after: storableJsonb("after"),
  },
  (t) => [index("audit_log_entity_idx").on(t.entityType, t.entityId, t.at)],
);
