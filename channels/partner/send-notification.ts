// One attempt at a partner notification: signed per Standard Webhooks, POSTed to the partner's URL, the answer
// classified.
import { Webhook } from "standardwebhooks";
import { describeError } from "../../hub/core/jobs/driver";

/** Long enough for a slow receiver; short enough that a hanging one does not hold the event job. */
export const NOTIFICATION_TIMEOUT_MS = 10_000;

export interface SignedPost {
  url: string;
  secret: string;
  /** The same on every retry of one notification, so the partner can drop repeats. */
  webhookId: string;
  body: string;
  now: Date;
}

export interface AttemptOutcome {
  /**
   * delivered: 2xx. retry: no answer, 408, 429, 3xx or 5xx. rejected: any other 4xx, which a retry would not change.
   */
  verdict: "delivered" | "retry" | "rejected";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export async function postSigned(post: SignedPost): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  // The timestamp is this attempt's: a retry minutes later must still be inside the receiver's 5-minute tolerance.
  const signature = new Webhook(post.secret).sign(post.webhookId, post.now, post.body);
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "lead-hub-webhooks/1",
        "webhook-id": post.webhookId,
        "webhook-timestamp": String(Math.floor(post.now.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body: post.body,
      // A redirect is not an answer from the receiver we were given.
      redirect: "manual",
      signal: AbortSignal.timeout(NOTIFICATION_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return {
      verdict: "retry",
      statusCode: null,
      error: timedOut ? `no answer within ${NOTIFICATION_TIMEOUT_MS / 1000} s` : describeError(error),
      durationMs: elapsed(),
    };
  }
  const text = await response.text().catch(() => "");
  const status = response.status;
  if (status >= 200 && status < 300)
    return { verdict: "delivered", statusCode: status, error: null, durationMs: elapsed() };
  const hopeless = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return {
    verdict: hopeless ? "rejected" : "retry",
    statusCode: status,
    error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`,
    durationMs: elapsed(),
  };
}
