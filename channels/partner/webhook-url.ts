// Where a partner receives notifications: https only, except plain http on this machine (local testing).
import { z } from "@hono/zod-openapi";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why `text` cannot be a partner's webhook URL, or undefined when it can. */
export function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute URL like https://partner.example/hooks/hub";
  }
  if (url.username || url.password)
    return "must not carry a user name or password; the signature authenticates the hub";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return "must be an https URL (plain http is allowed only for 127.0.0.1, localhost and [::1])";
}

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "must be at most 2000 characters")
  .superRefine((text, ctx) => {
    const problem = webhookUrlProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({
    example: "https://partner.example/hooks/hub",
    description: "Receives signed notifications (booked, lost). https; http only for 127.0.0.1, localhost or [::1].",
  });
