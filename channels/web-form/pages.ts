// The form's HTML: the form itself (again with errors beside their fields), and the thank-you page. Plain HTML, no
// scripts of ours.
import { createHash } from "node:crypto";
import { html, raw } from "hono/html";
import type { FieldError } from "../../hub/core/errors";
import { HONEYPOT_FIELD } from "./submission";

export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";
const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;

const STYLE = `
body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:36rem;margin:0 auto;padding:1rem}
.field{margin:0 0 1.25rem}
label{display:block;font-weight:600}
.hint{margin:0;color:#505a5f}
input,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.4rem;border:2px solid #0b0c0c}
input:focus,textarea:focus,button:focus,a:focus{outline:3px solid #fd0;outline-offset:0}
[aria-invalid=true]{border-color:#d4351c}
.error{margin:0;color:#d4351c;font-weight:600}
.summary,.notice{border:4px solid #d4351c;padding:.75rem 1rem;margin:0 0 1.5rem}
button{font:inherit;font-weight:600;padding:.5rem 1.25rem;border:0;background:#00703c;color:#fff;cursor:pointer}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;
// The page's one inline style is allowed by its hash, so the policy needs no 'unsafe-inline'.
const STYLE_HASH = `'sha256-${createHash("sha256").update(STYLE).digest("base64")}'`;

/** Only Turnstile's script and frame (when it is on), our one style, and posting back to ourselves. */
export function contentSecurityPolicy(turnstile: boolean, frameAncestors: string[]): string {
  return [
    "default-src 'none'",
    `script-src ${turnstile ? TURNSTILE_ORIGIN : "'none'"}`,
    ...(turnstile ? [`frame-src ${TURNSTILE_ORIGIN}`] : []),
    `style-src ${STYLE_HASH}`,
    "form-action 'self'",
    "base-uri 'none'",
    // The business may show the form in an iframe on its own site: the origins it lets post to us.
    `frame-ancestors ${["'self'", ...frameAncestors].join(" ")}`,
  ].join("; ");
}

function layout(title: string, turnstile: boolean, body: unknown) {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${raw(STYLE)}</style>
${turnstile ? html`<script src="${TURNSTILE_SCRIPT}" async defer></script>\n` : ""}</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface FormView {
  /** What the visitor typed, shown again as it was. */
  values: Record<string, string>;
  errors: FieldError[];
  /** A message about the whole submission (anti-spam check failed, too many tries). */
  notice?: string;
  submissionId: string;
  /** TURNSTILE_SITE_KEY; the widget is shown only with one. */
  siteKey?: string;
}

interface FieldSpec {
  name: string;
  label: string;
  hint?: string;
  type?: string;
  autocomplete: string;
  required?: boolean;
  attributes?: string;
}

const CONTACT_HINT = "Give an email address or a phone number (or both), so that we can answer.";

const FIELDS: FieldSpec[] = [
  { name: "name", label: "Your name", autocomplete: "name", required: true, attributes: 'maxlength="200"' },
  {
    name: "email",
    label: "Email address",
    hint: CONTACT_HINT,
    type: "email",
    autocomplete: "email",
    attributes: 'maxlength="254" spellcheck="false"',
  },
  {
    name: "phone",
    label: "Phone number",
    hint: CONTACT_HINT,
    type: "tel",
    autocomplete: "tel",
    attributes: 'maxlength="40"',
  },
  {
    name: "requested_start_at",
    label: "Preferred date and time",
    hint: "London time.",
    type: "datetime-local",
    autocomplete: "off",
  },
  {
    name: "party_size",
    label: "Number of people",
    type: "number",
    autocomplete: "off",
    attributes: 'min="1" max="1000" inputmode="numeric"',
  },
  { name: "service", label: "What would you like to book?", autocomplete: "off", attributes: 'maxlength="200"' },
  {
    name: "message",
    label: "Your message",
    type: "textarea",
    autocomplete: "off",
    required: true,
    attributes: 'maxlength="4000" rows="6"',
  },
];

export const FORM_FIELD_NAMES = FIELDS.map((f) => f.name);
const labelOf = (field: string) => FIELDS.find((f) => f.name === field)?.label ?? field;

function fieldHtml(spec: FieldSpec, view: FormView) {
  const errors = view.errors.filter((e) => e.field === spec.name);
  const hintId = spec.hint ? `${spec.name}-hint` : undefined;
  const errorId = errors.length > 0 ? `${spec.name}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ");
  const value = view.values[spec.name] ?? "";
  const common = html`id="${spec.name}" name="${spec.name}" autocomplete="${spec.autocomplete}"${spec.required ? raw(" required") : ""}${
    describedBy ? html` aria-describedby="${describedBy}"` : ""
  }${errorId ? raw(' aria-invalid="true"') : ""}${spec.attributes ? raw(` ${spec.attributes}`) : ""}`;
  return html`<div class="field">
<label for="${spec.name}">${spec.label}${spec.required ? " (required)" : ""}</label>
${hintId ? html`<p class="hint" id="${hintId}">${spec.hint}</p>\n` : ""}${
  errorId
    ? html`<p class="error" id="${errorId}">${errors.map((e) => `${labelOf(e.field)}: ${e.message}`).join(". ")}</p>\n`
    : ""
}${spec.type === "textarea" ? html`<textarea ${common}>${value}</textarea>` : html`<input type="${spec.type ?? "text"}" ${common} value="${value}">`}
</div>
`;
}

export function formPage(view: FormView) {
  const turnstile = Boolean(view.siteKey);
  const title = view.errors.length > 0 || view.notice ? "Error: Send us an enquiry" : "Send us an enquiry";
  const known = new Set(FORM_FIELD_NAMES);
  return layout(
    title,
    turnstile,
    html`<h1>Send us an enquiry</h1>
${view.notice ? html`<p class="notice" role="alert">${view.notice}</p>\n` : ""}${
  view.errors.length > 0
    ? html`<div class="summary" role="alert">
<h2>There is a problem</h2>
<ul>
${view.errors.map((e) =>
  known.has(e.field)
    ? html`<li><a href="#${e.field}">${labelOf(e.field)}: ${e.message}</a></li>\n`
    : html`<li>${e.field}: ${e.message}</li>\n`,
)}</ul>
</div>
`
    : ""
}<form method="post" accept-charset="utf-8">
${FIELDS.map((spec) => fieldHtml(spec, view))}<div class="hp">
<label for="${HONEYPOT_FIELD}">Leave this field empty</label>
<input type="text" id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off" value="">
</div>
<input type="hidden" name="submission_id" value="${view.submissionId}">
${
  turnstile
    ? html`<div class="cf-turnstile" data-sitekey="${view.siteKey}"></div>
<noscript><p>Our anti-spam check needs JavaScript. If it is turned off, please turn it on, or phone or email us instead.</p></noscript>
`
    : ""
}<button type="submit">Send enquiry</button>
</form>
`,
  );
}

export function thankYouPage(answer: { reference: string; replyBy: string }) {
  return layout(
    "Thank you: enquiry received",
    false,
    html`<h1>Thank you</h1>
<p>We have your enquiry. Your reference is <strong>${answer.reference}</strong>.</p>
<p>We will reply by <strong>${answer.replyBy}</strong> (London time).</p>
<p>Please quote the reference if you contact us about it.</p>
`,
  );
}
