// The operator web console under /console: server-rendered pages over the same domain functions as the API.
import { Hono } from "hono";
import { isDatabaseUnavailable } from "../../db/errors";
import { HubError } from "../core/errors";
import type { AppDeps } from "../http/context";
import type { ConsoleApp, ConsoleEnv } from "./app";
import { CONSOLE_PATH } from "./app";
import { consoleAssets } from "./assets";
import { csrfToken, sameOriginOnly, securityHeaders } from "./guards";
import { registerBookingsPage } from "./pages/bookings";
import { registerHealthPage } from "./pages/health";
import { registerInquiryPage } from "./pages/inquiry";
import { registerPaymentsPage } from "./pages/payments";
import { registerQueuePage } from "./pages/queue";
import { registerReportsPage } from "./pages/reports";
import { registerSignIn, registerSignOut } from "./pages/sign-in";
import { errorPage, notFoundPage } from "./responses";
import { consoleSession } from "./session";

export type { ConsoleApp } from "./app";

/** Mounts the console on the hub's app. Pages are HTML, not in the OpenAPI document; the API routes they use are. */
// biome-ignore lint/suspicious/noExplicitAny: mounted on the hub's OpenAPIHono, whose env the console does not use.
export function consoleRoutes(deps: AppDeps, app: Hono<any>): void {
  const site = new Hono<ConsoleEnv>();
  site.use(securityHeaders);
  site.use(sameOriginOnly(deps));
  consoleAssets(site);
  registerSignIn(deps, site);

  // Every page from here on needs a session, and each of its POSTs the session's CSRF token.
  const pages: ConsoleApp = new Hono<ConsoleEnv>();
  pages.use(consoleSession(deps));
  pages.use(csrfToken);
  registerSignOut(deps, pages);
  registerQueuePage(deps, pages);
  registerInquiryPage(deps, pages);
  registerBookingsPage(deps, pages);
  registerPaymentsPage(deps, pages);
  registerReportsPage(deps, pages);
  registerHealthPage(deps, pages);
  site.route("/", pages);
  // Last: an address no page took. It passed the session check above, so a person not signed in is sent to sign in.
  site.all("*", (c) => notFoundPage(c));

  site.onError((error, c) => {
    if (isDatabaseUnavailable(error)) deps.logger.warn({ path: c.req.path }, "database unavailable");
    else if (!(error instanceof HubError))
      deps.logger.error({ err: error, method: c.req.method, path: c.req.path }, "console error");
    return errorPage(c, error);
  });
  // route() copies the routes as they are now: every page and the error handler are in place before this line.
  app.route(CONSOLE_PATH, site);
}
