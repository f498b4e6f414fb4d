// Bearer-key authentication and the least role a route needs.
import { createMiddleware } from "hono/factory";
import type { UserRole } from "../../db/schema";
import type { ApiKeyAuthenticator } from "../auth/authenticator";
import { hasRole } from "../auth/users";
import type { HubEnv } from "./context";
import { problem } from "./problem";

export function requireRole(auth: ApiKeyAuthenticator, least: UserRole) {
  return createMiddleware<HubEnv>(async (c, next) => {
    const header = c.req.header("Authorization");
    const key = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (!key) {
      c.header("WWW-Authenticate", 'Bearer realm="hub"');
      return problem(c, 401, "Send the API key as `Authorization: Bearer <key>`.");
    }
    const user = await auth.authenticate(key);
    if (!user) {
      c.header("WWW-Authenticate", 'Bearer realm="hub", error="invalid_token"');
      return problem(c, 401, "The API key is not valid (unknown, replaced or deactivated).");
    }
    if (!hasRole(user, least))
      return problem(c, 403, `This needs the ${least} role or above; the key's role is ${user.role}.`);
    c.set("user", user);
    await next();
  });
}

export const bearerSecurity = [{ bearerAuth: [] }];
