// Where customers reach the hub, for every link it hands out (booking page, pay page, a provider's return page).
// PUBLIC_URL, else the address the hub listens on: never a request's Host header, which the caller chooses, so that
// `Host: evil.example` would put evil.example in a link the customer is sent.
import type { Env } from "../env";

export class PublicAddress {
  #port: number;

  constructor(private readonly settings: Pick<Env, "PUBLIC_URL" | "HOST" | "PORT">) {
    this.#port = settings.PORT;
  }

  /** Whether PUBLIC_URL is set; without it, links use the listen address (fine on one machine, not for customers). */
  get configured(): boolean {
    return this.settings.PUBLIC_URL !== undefined;
  }

  /** The base URL, without a trailing slash. */
  get url(): string {
    return (this.settings.PUBLIC_URL ?? `http://${linkHost(this.settings.HOST)}:${this.#port}`).replace(/\/+$/, "");
  }

  /** PORT=0 picks a free port when the server listens: from then on, links name the port it got. */
  listeningOn(port: number): void {
    this.#port = port;
  }
}

/** A wildcard listen address is no place to send anyone; an IPv6 address goes in brackets. */
function linkHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}
