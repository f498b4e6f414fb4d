// What every request handler may reach: the services of the composition root and the authenticated user.
import type { Logger } from "pino";
import type { Database, DatabaseHandle } from "../../db/client";
import type { ApiKeyAuthenticator } from "../auth/authenticator";
import type { AuthUser } from "../auth/users";
import type { JobDriver } from "../core/jobs/driver";
import type { PipelineDeps } from "../pipeline";
import type { PublicAddress } from "./public-address";
import type { ChannelRegistry } from "../../channels/adapter";
import type { Payments } from "../../payments";

export interface AppDeps {
  database: DatabaseHandle;
  db: Database;
  logger: Logger;
  pipeline: PipelineDeps;
  auth: ApiKeyAuthenticator;
  jobs: JobDriver;
  channels: ChannelRegistry;
  /** `publicAddress`: where booking links point (PUBLIC_URL, else the listen address; never the request's Host). */
  bookings: { holdMs: number; publicAddress: PublicAddress };
  payments: Payments;
  /** True once migrations have run; /health/ready says so. */
  isMigrated: () => boolean;
}

export interface HubEnv {
  Variables: { user: AuthUser };
}
