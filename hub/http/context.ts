// What every request handler may reach: the hub's context, the services of the composition root and the user.
import type { DatabaseHandle } from "../../db/client";
import type { ApiKeyAuthenticator } from "../auth/authenticator";
import type { AuthUser } from "../auth/users";
import type { HubContext } from "../core/context";
import type { CancellationPolicy } from "../bookings";
import type { Env } from "../env";
import type { PublicAddress } from "./public-address";
import type { MetricsExposition } from "../prometheus";
import type { ChannelRegistry } from "../../channels/adapter";
import type { Payments } from "../../payments";

/**
 * The hub's context with what the composition root builds from it. Declared here, not in hub/core: the settings,
 * the channels and payments are the hub's own types, which the core may not import.
 */
export interface AppContext extends HubContext {
  /** The parsed environment (hub/env.ts). */
  settings: Env;
  channels: ChannelRegistry;
  payments: Payments;
}

export interface AppDeps extends AppContext {
  database: DatabaseHandle;
  auth: ApiKeyAuthenticator;
  /** `publicAddress`: where booking links point (PUBLIC_URL, else the listen address; never the request's Host). */
  bookings: { holdMs: number; publicAddress: PublicAddress; cancellation: CancellationPolicy };
  /** True once migrations have run; /health/ready says so. */
  isMigrated: () => boolean;
  /** GET /metrics: this hub's Prometheus registry, as text. */
  metrics: MetricsExposition;
}

export interface HubEnv {
  Variables: { user: AuthUser };
}
