// Sign-in with a staff API key (GET/POST /console) and sign-out (POST /console/sign-out).
import type { Hono } from "hono";
import type { AppDeps } from "../../http/context";
import type { ConsoleApp, ConsoleEnv } from "../app";
import { renderPage } from "../responses";
import { currentSession, signIn, signOut } from "../session";

const HOME = "/console/queue";

function SignInForm(props: { failed?: boolean }) {
  return (
    <form method="post" action="/console" class="card stack">
      <p>Sign in with your staff API key: the admin key, or one an admin or manager made for you.</p>
      <label for="key">API key</label>
      <input
        id="key"
        name="key"
        type="password"
        autocomplete="current-password"
        required
        aria-invalid={props.failed ? "true" : undefined}
        aria-describedby={props.failed ? "key-error" : undefined}
      />
      {props.failed && (
        <p id="key-error" class="field-error">
          That key is not valid: it is unknown, was replaced, or its user was deactivated.
        </p>
      )}
      <button type="submit">Sign in</button>
    </form>
  );
}

/** On the console app before the session check: these pages are for people not signed in yet. */
export function registerSignIn(deps: AppDeps, app: Hono<ConsoleEnv>) {
  app.get("/", async (c) => {
    if (await currentSession(c, deps)) return c.redirect(HOME, 303);
    return renderPage(c, { title: "Sign in" }, <SignInForm />);
  });

  app.post("/", async (c) => {
    const key = (await c.req.parseBody()).key;
    const user = typeof key === "string" && key.trim() ? await deps.auth.authenticate(key.trim()) : undefined;
    if (!user)
      return renderPage(
        c,
        { title: "Sign in", status: 401, error: "Signing in failed: the key is not valid." },
        <SignInForm failed />,
      );
    await signIn(c, deps, user.id);
    return c.redirect(HOME, 303);
  });
}

/** Behind the session check: ends the session in the database, not only in the browser. */
export function registerSignOut(deps: AppDeps, app: ConsoleApp) {
  app.post("/sign-out", async (c) => {
    await signOut(c, deps);
    return c.redirect("/console", 303);
  });
}
