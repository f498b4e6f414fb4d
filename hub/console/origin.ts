// Which origin the console is served from, and whether a request came over https: from the request itself, or
// from the proxy's X-Forwarded-* headers when TRUST_PROXY_HOPS says there is one in front.
import type { Context } from "hono";
import type { AppDeps } from "../http/context";

type Settings = Pick<AppDeps["settings"], "TRUST_PROXY_HOPS" | "PUBLIC_URL">;

/** The nearest proxy appends its value last. */
const forwarded = (c: Context, name: string) => c.req.header(name)?.split(",").at(-1)?.trim() || undefined;

export function isHttps(c: Context, settings: Settings): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return settings.TRUST_PROXY_HOPS > 0 && forwarded(c, "X-Forwarded-Proto") === "https";
}

/**
 * The origins a console form may be posted from: the one the request was sent to (the browser sets Host, a page
 * elsewhere cannot choose it), as the proxy saw it when one is trusted, and PUBLIC_URL's.
 */
export function ownOrigins(c: Context, settings: Settings): Set<string> {
  const url = new URL(c.req.url);
  const origins = new Set([url.origin]);
  if (settings.TRUST_PROXY_HOPS > 0) {
    const host = forwarded(c, "X-Forwarded-Host") ?? c.req.header("Host") ?? url.host;
    origins.add(`${isHttps(c, settings) ? "https" : "http"}://${host}`);
  }
  if (settings.PUBLIC_URL) origins.add(new URL(settings.PUBLIC_URL).origin);
  return origins;
}

/**
 * Why a state-changing request must be refused as coming from another site, or undefined. Browsers send Origin
 * on every POST and Sec-Fetch-Site on every request; either one naming another site is enough to refuse.
 */
export function crossOriginRefusal(c: Context, settings: Settings): string | undefined {
  const site = c.req.header("Sec-Fetch-Site");
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `The form was sent from another site (Sec-Fetch-Site: ${site}).`;
  const origin = c.req.header("Origin");
  if (origin !== undefined && !ownOrigins(c, settings).has(origin))
    return `The form was sent from another origin (${origin}).`;
  return undefined;
}
