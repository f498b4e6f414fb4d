// What a channel adapter may use: settings, the pipeline, the database, and fakes a test injects for outside services.
import type { Logger } from "pino";
import type { Database } from "../db/client";
import type { Env } from "../hub/env";
import type { ApiKeyAuthenticator } from "../hub/auth/authenticator";
import type { PipelineDeps } from "../hub/pipeline";

export interface ChannelDeps {
  env: Env;
  logger: Logger;
  db: Database;
  pipeline: PipelineDeps;
  auth: ApiKeyAuthenticator;
  now: () => Date;
  /** Outside services a test replaces with loopback fakes, never our own code. */
  outside?: OutsideServices;
}

export interface OutsideServices {
  /** A whatsapp-web.js Client, or an object with the same events and sendMessage (tests: an event emitter). */
  whatsappWebClient?: unknown;
  /**
   * How long the web form waits for Turnstile's siteverify before failing closed (default 5000 ms; tests shorten it).
   */
  turnstileTimeoutMs?: number;
}
