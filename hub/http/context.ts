// What every request handler may reach: the services of the composition root and the authenticated user.
import type { Logger } from "pino";
import type { Database, DatabaseHandle } from "../../db/client";
import type { ApiKeyAuthenticator } from "../auth/authenticator";
import type { AuthUser } from "../auth/users";
import type { JobDriver } from "../jobs/driver";
import type { PipelineDeps } from "../pipeline/ingest-inquiry";
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
  /** `publicUrl`: PUBLIC_URL; unset, booking links use the address the request came to. */
  bookings: { holdMs: number; publicUrl?: string };
  payments: Payments;
  /** True once migrations have run; /health/ready says so. */
  isMigrated: () => boolean;
}

export interface HubEnv {
  Variables: { user: AuthUser };
}
