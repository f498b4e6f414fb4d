// The whole console page: head, the nav the user's role may see, sign-out, then the page's own content.
import type { Child } from "hono/jsx";
import type { UserRole } from "../../db/schema";
import type { AuthUser } from "../auth/users";
import { hasRole } from "../auth/users";
import { CsrfField } from "./csrf";

export type NavKey = "queue" | "bookings" | "payments" | "reports" | "health";

/** Reports and health read the API's manager-only figures: an operator is not shown a link to a 403. */
const NAV: { key: NavKey; label: string; href: string; least: UserRole }[] = [
  { key: "queue", label: "Queue", href: "/console/queue", least: "operator" },
  { key: "bookings", label: "Bookings", href: "/console/bookings", least: "operator" },
  { key: "payments", label: "Payments", href: "/console/payments", least: "operator" },
  { key: "reports", label: "Reports", href: "/console/reports", least: "manager" },
  { key: "health", label: "Health", href: "/console/health", least: "manager" },
];

export interface LayoutProps {
  title: string;
  /** Absent on the sign-in page and on refusals before sign-in. */
  user?: AuthUser;
  /** The nav entry to mark as the current page. */
  active?: NavKey;
  /** The session's CSRF token, for the sign-out form. */
  csrf?: string;
  /** A confirmation after a redirect (role=status). */
  flash?: string;
  /** What went wrong with the last action (role=alert). */
  error?: string;
  /** Scripts from /console/assets/, e.g. ["queue.js"]. */
  scripts?: string[];
  children?: Child;
}

export function Layout(props: LayoutProps) {
  const { user } = props;
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · Hub console`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        {(props.scripts ?? []).map((name) => (
          <script src={`/console/assets/${name}`} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Hub console</span>
          {user && (
            <nav aria-label="Console">
              <ul>
                {NAV.filter((item) => hasRole(user, item.least)).map((item) => (
                  <li>
                    <a class="nav-link" href={item.href} aria-current={item.key === props.active ? "page" : undefined}>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {user && (
            <form method="post" action="/console/sign-out" class="sign-out">
              <CsrfField token={props.csrf ?? ""} />
              <span class="who">
                {user.name} ({user.role})
              </span>
              <button type="submit">Sign out</button>
            </form>
          )}
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.flash && (
            <p class="flash" role="status">
              {props.flash}
            </p>
          )}
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}
