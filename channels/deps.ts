// What a channel adapter may use: the hub's context (all ingestion needs), settings, and fakes a test injects for
// outside services.
import type { Env } from "../hub/env";
import type { ApiKeyAuthenticator } from "../hub/auth/authenticator";
import type { HubContext } from "../hub/core/context";
import type { CancellationPolicy } from "../hub/bookings";

export interface ChannelDeps extends Pick<HubContext, "db" | "logger" | "now" | "wake" | "observe"> {
  env: Env;
  auth: ApiKeyAuthenticator;
  /** The cancellation policy a customer's "Cancel" in their chat cancels under (hub/bookings answerFromChat). */
  policy: CancellationPolicy;
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
