// Turns a template into the text a customer reads: the stored override if there is one, else the built-in text.
import { eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { messageTemplates } from "../../db/schema";
import { DEFAULT_TEMPLATES, type TemplateKey } from "./defaults";

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Placeholders a template body uses that its key does not offer: a saved override must have none. */
export function unknownPlaceholders(key: TemplateKey, body: string): string[] {
  const allowed = new Set<string>(DEFAULT_TEMPLATES[key].placeholders);
  return [...body.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !allowed.has(name));
}

export function fill(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

export async function templateBody(tx: Executor, key: TemplateKey): Promise<string> {
  const [override] = await tx
    .select({ body: messageTemplates.body })
    .from(messageTemplates)
    .where(eq(messageTemplates.key, key));
  return override?.body ?? DEFAULT_TEMPLATES[key].body;
}

export async function renderTemplate(tx: Executor, key: TemplateKey, values: Record<string, string>): Promise<string> {
  return fill(await templateBody(tx, key), values);
}

/**
 * Several templates rendered with one read (a message built from parts): each entry's text, in the order given.
 */
export async function renderTemplates(
  tx: Executor,
  parts: readonly { key: TemplateKey; values: Record<string, string> }[],
): Promise<string[]> {
  if (parts.length === 0) return [];
  const overrides = await tx
    .select({ key: messageTemplates.key, body: messageTemplates.body })
    .from(messageTemplates)
    .where(
      inArray(
        messageTemplates.key,
        parts.map((p) => p.key),
      ),
    );
  const bodies = new Map(overrides.map((o) => [o.key, o.body]));
  return parts.map((p) => fill(bodies.get(p.key) ?? DEFAULT_TEMPLATES[p.key].body, p.values));
}
