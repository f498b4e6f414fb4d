// What a refusal must look like: an API route answers application/problem+json (RFC 9457) naming the problem; a page
// a person opens (the booking and payment links, the console, the web form posted by a browser) its own HTML page.
// And no HTML the hub sends carries an injection string as markup.

/** A person's pages: they answer errors as HTML pages of their own, not as the API's JSON. */
const PAGE_PATHS = [/^\/b\//, /^\/pay\//, /^\/console(\/|$)/, /^\/forms\/inquiry$/, /^\/docs(\/|$)/];

/** A page's address; the files pages load (/docs/assets/…, /console/assets/…) are not pages and answer as the API. */
export const isPagePath = (path: string) => PAGE_PATHS.some((p) => p.test(path)) && !/\/assets\//.test(path);

/** Markup that must never come back unescaped: it would run in the page of whoever opens it. */
export const MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"];

export interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * What is wrong with a 4xx answer to a request for `path`, or undefined when nothing is: problem+json whose status is
 * the answer's and whose title and detail say something; on a page, that or an HTML page with a title and some text.
 */
export function refusalFault(path: string, answer: Answer): string | undefined {
  const type = answer.contentType?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/problem+json") return problemFault(answer);
  if (type === "text/html" && isPagePath(path)) return pageFault(answer);
  return `${answer.status} as ${type ?? "no Content-Type"}, not application/problem+json${isPagePath(path) ? " nor an HTML page" : ""}`;
}

function problemFault(answer: Answer): string | undefined {
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return `${answer.status} problem+json whose body is not JSON`;
  }
  const text = (key: string) => typeof problem[key] === "string" && (problem[key] as string).trim() !== "";
  if (problem.status !== answer.status) return `${answer.status} problem+json with status ${problem.status}`;
  if (!text("title") || !text("detail") || !text("type"))
    return `${answer.status} problem+json without type, title or detail`;
  if (problem.errors !== undefined) {
    const errors = problem.errors;
    const named =
      Array.isArray(errors) && errors.every((e) => typeof e?.field === "string" && typeof e?.message === "string");
    if (!named) return `${answer.status} problem+json whose errors are not {field, message}`;
  }
  return undefined;
}

function pageFault(answer: Answer): string | undefined {
  const title = /<title>([^<]*)<\/title>/i.exec(answer.body)?.[1]?.trim();
  if (!title) return `${answer.status} HTML page without a title`;
  if (!/<(h1|p)\b/i.test(answer.body)) return `${answer.status} HTML page "${title}" that says nothing`;
  return markupFault(answer);
}

/** An HTML answer that carries one of MARKUP as it was sent. */
export function markupFault(answer: Answer): string | undefined {
  const type = answer.contentType?.split(";")[0]?.trim().toLowerCase();
  if (type !== "text/html") return undefined;
  const found = MARKUP.find((m) => answer.body.includes(m));
  return found ? `${answer.status} HTML page carrying ${found} unescaped` : undefined;
}
