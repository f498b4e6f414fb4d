// The plain HTML pages customers open from a link (the booking page, the payment link): no script, no cookie, a
// style allowed by its hash only, never cached, never framed.
import { createHash } from "node:crypto";
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** What every customer page looks like; a page adds its own rules after it. */
export const BASE_STYLE = `
body{font:1rem/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:36rem;margin:0 auto;padding:1rem}
.notice{border:4px solid #1d70b8;padding:.75rem 1rem}
`;

/** The page's own style sheet (BASE_STYLE and its rules); `forms`: whether its forms may post back to the hub. */
export function customerPages(style: string, options: { forms: boolean }) {
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${createHash("sha256").update(style).digest("base64")}'`,
    options.forms ? "form-action 'self'" : "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  return (c: Context, status: ContentfulStatusCode, title: string, body: unknown, refreshSeconds?: number) => {
    c.header("Content-Security-Policy", csp);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("Referrer-Policy", "no-referrer");
    c.header("Cache-Control", "no-store");
    if (refreshSeconds) c.header("Refresh", String(refreshSeconds));
    return c.html(
      html`<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${title}</title><style>${raw(style)}</style></head>
<body><main>${body}</main></body>
</html>
`,
      status,
    );
  };
}
