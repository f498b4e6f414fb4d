// The console's session: a cookie holding a random id, resolved to the staff member on every request.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { UserRole } from "../../db/schema";
import { endConsoleSession, openConsoleSession, resumeConsoleSession } from "../auth/console-sessions";
import { hasRole } from "../auth/users";
import type { AppDeps } from "../http/context";
import { CONSOLE_PATH, type ConsoleEnv } from "./app";
import { forbiddenPage } from "./responses";
import { isHttps } from "./origin";

export const SESSION_COOKIE = "hub_console";

/** Resolves the cookie to a session; without a good one, a page sends the person to sign in. */
export function consoleSession(deps: AppDeps) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    const id = getCookie(c, SESSION_COOKIE);
    // A live page's own event stream is not the person doing anything: it must not keep an idle session alive.
    const touch = c.req.header("Accept") !== "text/event-stream";
    const session = id ? await resumeConsoleSession(deps.db, id, deps.now(), { touch }) : undefined;
    if (!id || !session) {
      if (id) deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH });
      // A form posted after the session ended has nothing to act for: sign in again, the post is not replayed.
      return c.redirect(CONSOLE_PATH, 303);
    }
    c.set("user", session.user);
    c.set("csrf", session.csrfToken);
    c.set("sessionId", id);
    await next();
  });
}

/** A page for `least` and above; anyone below gets a 403 page in the layout. */
export function consoleRole(least: UserRole) {
  return createMiddleware<ConsoleEnv>(async (c, next) => {
    if (!hasRole(c.get("user"), least)) return forbiddenPage(c, `This page needs the ${least} role or above.`);
    await next();
  });
}

/** Opens a session for a user who proved a key, and gives the browser its cookie. */
export async function signIn(c: Context, deps: AppDeps, userId: string): Promise<void> {
  const { id } = await openConsoleSession(deps.db, userId, deps.now());
  setCookie(c, SESSION_COOKIE, id, {
    path: CONSOLE_PATH,
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c, deps.settings),
  });
}

export async function signOut(c: Context<ConsoleEnv>, deps: AppDeps): Promise<void> {
  await endConsoleSession(deps.db, c.get("sessionId"));
  deleteCookie(c, SESSION_COOKIE, { path: CONSOLE_PATH, secure: isHttps(c, deps.settings) });
}

/** The session behind a request's cookie, if any (the sign-in page sends a signed-in person on). */
export async function currentSession(c: Context, deps: AppDeps) {
  const id = getCookie(c, SESSION_COOKIE);
  return id ? resumeConsoleSession(deps.db, id, deps.now()) : undefined;
}
