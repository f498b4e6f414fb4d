// Answering with a page: the layout filled from the request (user, CSRF token, flash), redirects with a flash,
// refusals and errors.
import { isDatabaseUnavailable } from "../../db/errors";
import { DATABASE_RETRY_AFTER_SECONDS } from "../http/problem";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HubError } from "../core/errors";
import { STATUS_OF } from "../http/problem";
import { CONSOLE_PATH, type ConsoleEnv } from "./app";
import { Layout, type LayoutProps } from "./layout";

const FLASH_COOKIE = "hub_console_flash";

type PageOptions = Omit<LayoutProps, "user" | "csrf" | "children" | "flash"> & { status?: ContentfulStatusCode };

/** A whole page in the layout, for the signed-in user (or none, before sign-in). */
export function renderPage(c: Context, options: PageOptions, body: Child) {
  const { status = 200, ...props } = options;
  const vars = c as Context<ConsoleEnv>;
  const flash = getCookie(c, FLASH_COOKIE);
  if (flash) deleteCookie(c, FLASH_COOKIE, { path: CONSOLE_PATH });
  const page = (
    <Layout {...props} user={vars.get("user")} csrf={vars.get("csrf")} flash={flash}>
      {body}
    </Layout>
  );
  return c.html(html`<!doctype html>${page}`, status);
}

/** After a successful POST: 303 back to a page, which shows `message` once. */
export function redirectWithFlash(c: Context, to: string, message: string) {
  setCookie(c, FLASH_COOKIE, message, { path: CONSOLE_PATH, httpOnly: true, sameSite: "Strict", maxAge: 60 });
  return c.redirect(to, 303);
}

/** An address under /console that is no page: the console's own page, not the API's JSON. */
export function notFoundPage(c: Context) {
  return renderPage(
    c,
    { title: "Not found", status: 404, error: `There is no console page at ${c.req.path}.` },
    <p>
      <a href="/console/queue">Back to the queue</a>
    </p>,
  );
}

export function forbiddenPage(c: Context, reason: string) {
  return renderPage(c, { title: "Not allowed", status: 403, error: reason }, <p>Nothing was changed.</p>);
}

/** What the console shows for an error a domain function raised (HubError), or a generic one for the rest. */
export function errorPage(c: Context, error: unknown) {
  if (error instanceof HubError) {
    const status = STATUS_OF[error.kind];
    return renderPage(
      c,
      { title: status === 404 ? "Not found" : "That did not work", status, error: error.message },
      <p>
        <a href="/console/queue">Back to the queue</a>
      </p>,
    );
  }
  if (isDatabaseUnavailable(error)) {
    // As the API answers (hub/http/app.ts): not the request's fault, and the pool reconnects by itself.
    c.header("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS));
    return renderPage(
      c,
      {
        title: "Try again shortly",
        status: 503,
        error: "The database is unavailable at the moment; nothing was changed.",
      },
      <p>Reload the page in a few seconds.</p>,
    );
  }
  return renderPage(
    c,
    { title: "Something went wrong", status: 500, error: "Something went wrong on our side; it has been logged." },
    <p>
      <a href="/console/queue">Back to the queue</a>
    </p>,
  );
}

/** The message of a HubError, to show next to the form that caused it; anything else is thrown on. */
export function hubErrorMessage(error: unknown): string {
  if (error instanceof HubError) return error.message;
  throw error;
}
