// Partner-side helpers for the tests: signing with the standardwebhooks library, as a partner would.
import { Webhook } from "standardwebhooks";
import type { TestHub, TestResponse } from "../../support/hub";

export interface SignOptions {
  /** When the request was signed; now by default. */
  at?: Date;
  /** Signed over this instead of the body sent (a body changed in transit). */
  signedBody?: string;
}

/** POST /partners/{code}/inquiries the way a partner would: signed with the standardwebhooks library. */
export function postSignedLead(
  t: TestHub,
  code: string,
  secret: string,
  webhookId: string,
  body: unknown,
  options: SignOptions = {},
): Promise<TestResponse> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const at = options.at ?? new Date();
  const signature = new Webhook(secret).sign(webhookId, at, options.signedBody ?? raw);
  return t.request("POST", `/partners/${code}/inquiries`, {
    key: null,
    body: raw,
    headers: {
      "webhook-id": webhookId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
  });
}
