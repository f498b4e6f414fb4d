// How the form answers: JSON (and problem+json) for scripts and API callers, HTML pages for a browser posting the form.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldError } from "../../hub/core/errors";
import { problem } from "../../hub/http/problem";
import { contentSecurityPolicy, formPage, thankYouPage, type FormView } from "./pages";

/** A browser's own form post: form-encoded, and naming text/html above JSON and wildcards (which mean a script). */
export function wantsHtml(c: Context): boolean {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") return false;
  let html = 0;
  let json = 0;
  for (const part of (c.req.header("accept") ?? "").split(",")) {
    const [range = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith("q="))?.slice(2) ?? "1");
    if (!Number.isFinite(q)) continue;
    if (range === "text/html") html = Math.max(html, q);
    else if (["application/json", "application/problem+json", "application/*", "*/*"].includes(range))
      json = Math.max(json, q);
  }
  return html > json;
}

export interface PageSettings {
  siteKey?: string;
  frameAncestors: string[];
}

/** Every HTML page: the CSP, no sniffing, and never cached (each form carries a submission id of its own). */
export function htmlPage(
  c: Context,
  page: string | Promise<string>,
  status: ContentfulStatusCode,
  settings: PageSettings,
  turnstile: boolean,
) {
  c.header("Content-Security-Policy", contentSecurityPolicy(turnstile, settings.frameAncestors));
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  c.header("Cache-Control", "no-store");
  return c.html(page, status);
}

export interface Accepted {
  reference: string;
  slaDeadlineAt: string;
  replyBy: string;
  message: string;
  submissionId: string;
}

export function answerAccepted(
  c: Context,
  html: boolean,
  settings: PageSettings,
  accepted: Accepted,
  status: 200 | 201,
) {
  if (html)
    return htmlPage(
      c,
      thankYouPage({ reference: accepted.reference, replyBy: accepted.replyBy }),
      status,
      settings,
      false,
    );
  return c.json(
    {
      reference: accepted.reference,
      sla_deadline_at: accepted.slaDeadlineAt,
      message: accepted.message,
      submission_id: accepted.submissionId,
    },
    status,
  );
}

export interface Refusal {
  status: ContentfulStatusCode;
  detail: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
  /** For the HTML page: the form again, as the visitor filled it in. */
  form: Omit<FormView, "errors" | "notice" | "siteKey">;
  /** For the HTML page: said above the form instead of `detail` (field errors are shown beside their fields). */
  notice?: string;
}

export function answerRefusal(c: Context, html: boolean, settings: PageSettings, refusal: Refusal) {
  if (refusal.retryAfterSeconds !== undefined) c.header("Retry-After", String(refusal.retryAfterSeconds));
  if (!html) return problem(c, refusal.status, refusal.detail, refusal.errors);
  // A notice speaks for the whole submission; field errors belong beside fields the visitor can correct.
  const view: FormView = {
    ...refusal.form,
    errors: refusal.notice ? [] : (refusal.errors ?? []),
    notice: refusal.notice,
    siteKey: settings.siteKey,
  };
  return htmlPage(c, formPage(view), refusal.status, settings, Boolean(settings.siteKey));
}
