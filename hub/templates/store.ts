// The message texts managers change: each is a stored override of a built-in text, or the built-in text itself.
// Changes and resets are audited with the text before and after.
import { eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import { messageTemplates } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { HubError } from "../core/errors";
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, type TemplateKey } from "./defaults";
import { unknownPlaceholders } from "./render";

export interface MessageTemplate {
  key: TemplateKey;
  /** What customers get: the override's body, else the built-in one. */
  body: string;
  defaultBody: string;
  placeholders: readonly string[];
  /** True when the body is a stored change. */
  changed: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

type Override = typeof messageTemplates.$inferSelect;

const templateOf = (key: TemplateKey, override: Override | undefined): MessageTemplate => ({
  key,
  body: override?.body ?? DEFAULT_TEMPLATES[key].body,
  defaultBody: DEFAULT_TEMPLATES[key].body,
  placeholders: DEFAULT_TEMPLATES[key].placeholders,
  changed: !!override,
  updatedAt: override?.updatedAt ?? null,
  updatedBy: override?.updatedBy ?? null,
});

/** Every template, in the order of the built-in ones. */
export async function listTemplates(db: Executor): Promise<MessageTemplate[]> {
  const overrides = new Map((await db.select().from(messageTemplates)).map((row) => [row.key, row]));
  return TEMPLATE_KEYS.map((key) => templateOf(key, overrides.get(key)));
}

/** Stores a new body; one using a placeholder the template does not offer is refused before anything is written. */
export async function changeTemplate(
  db: Database,
  key: TemplateKey,
  body: string,
  actorId: string,
): Promise<MessageTemplate> {
  const unknown = unknownPlaceholders(key, body);
  if (unknown.length > 0) {
    const allowed = DEFAULT_TEMPLATES[key].placeholders.join(", ") || "none";
    // Not invalid(): the detail names what the template offers, the field error only what is wrong.
    throw new HubError("invalid", `body: uses ${unknown.map((n) => `{{${n}}}`).join(", ")}; ${key} offers ${allowed}`, [
      { field: "body", message: `unknown placeholder(s) ${unknown.join(", ")}` },
    ]);
  }
  const after = await db.transaction(async (tx) => {
    // Locked so that two managers changing it at once each audit the text they really replaced.
    const [before] = await tx.select().from(messageTemplates).where(eq(messageTemplates.key, key)).for("update");
    const [row] = await tx
      .insert(messageTemplates)
      .values({ key, body, updatedBy: actorId })
      .onConflictDoUpdate({ target: messageTemplates.key, set: { body, updatedBy: actorId, updatedAt: sql`now()` } })
      .returning();
    await recordAudit(tx, {
      actorId,
      action: "template.updated",
      entityType: "message_template",
      entityId: key,
      before: { body: before?.body ?? DEFAULT_TEMPLATES[key].body },
      after: { body },
    });
    return row;
  });
  return templateOf(key, after);
}

/** Back to the built-in text; audited only when there was a change to undo. */
export async function resetTemplate(db: Database, key: TemplateKey, actorId: string): Promise<MessageTemplate> {
  await db.transaction(async (tx) => {
    const [removed] = await tx.delete(messageTemplates).where(eq(messageTemplates.key, key)).returning();
    if (removed) {
      await recordAudit(tx, {
        actorId,
        action: "template.reset",
        entityType: "message_template",
        entityId: key,
        before: { body: removed.body },
        after: { body: DEFAULT_TEMPLATES[key].body },
      });
    }
  });
  return templateOf(key, undefined);
}
