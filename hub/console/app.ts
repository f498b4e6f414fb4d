// The console's Hono app type: what a page module registers its routes on.
import type { Hono } from "hono";
import type { AuthUser } from "../auth/users";

export interface ConsoleEnv {
  Variables: {
    /** The signed-in staff member. */
    user: AuthUser;
    /** The session's CSRF token: every POST form carries it (csrf.tsx). */
    csrf: string;
    /** The session id from the cookie (sign-out ends it). */
    sessionId: string;
  };
}

/**
 * The app pages register on, mounted at /console with the session and CSRF checks already applied: a page's
 * path is relative (`app.get("/queue", …)` answers /console/queue); its links and form actions are absolute.
 */
export type ConsoleApp = Hono<ConsoleEnv>;

export const CONSOLE_PATH = "/console";
