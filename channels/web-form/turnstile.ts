// Cloudflare Turnstile's server-side check (siteverify): was this token issued to a person on our form, just now?

export type TurnstileOutcome =
  | { passed: true }
  /** `duplicate`: the token was spent already, as when the same form is sent twice. */
  | { passed: false; duplicate: boolean; errorCodes: string[] };

/** Turnstile could not answer (network error, timeout, not a 200): the form fails closed, with a 503. */
export class TurnstileUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TurnstileUnavailableError";
  }
}

export interface TurnstileSettings {
  secret: string;
  verifyUrl: string;
  timeoutMs: number;
}

/** Cloudflare documents a form-encoded POST of secret, response and remoteip. */
export async function verifyTurnstile(
  settings: TurnstileSettings,
  token: string,
  remoteIp: string | undefined,
): Promise<TurnstileOutcome> {
  const body = new URLSearchParams({ secret: settings.secret, response: token });
  if (remoteIp) body.set("remoteip", remoteIp);
  let response: Response;
  let result: { success?: unknown; "error-codes"?: unknown };
  try {
    response = await fetch(settings.verifyUrl, {
      method: "POST",
      body,
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
    if (response.status !== 200)
      throw new TurnstileUnavailableError(`Turnstile siteverify answered ${response.status}`);
    result = (await response.json()) as typeof result;
  } catch (error) {
    if (error instanceof TurnstileUnavailableError) throw error;
    throw new TurnstileUnavailableError(`Turnstile siteverify did not answer: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (result.success === true) return { passed: true };
  const errorCodes = Array.isArray(result["error-codes"]) ? result["error-codes"].map(String) : [];
  // Our own secret being refused is our fault, not the visitor's: fail closed as for an outage, and say so in the log.
  if (errorCodes.some((code) => code === "missing-input-secret" || code === "invalid-input-secret")) {
    throw new TurnstileUnavailableError(`Turnstile refused TURNSTILE_SECRET_KEY (${errorCodes.join(", ")})`);
  }
  return { passed: false, duplicate: errorCodes.includes("timeout-or-duplicate"), errorCodes };
}
