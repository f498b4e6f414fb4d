// What a verified webhook must hold before it is looked up or stored, whichever provider sent it. A signature proves
// who sent the bytes, not that they make sense: an id PostgreSQL cannot store would fail the transaction (a 500, and
// the provider sends it again for days), so it is refused as unreadable instead.
import { WebhookEventError, type VerifiedWebhook } from "../provider";

// NUL is refused by text columns; no control character belongs in an id.
const CONTROL = /[\u0000-\u001f\u007f]/;
// Half of a surrogate pair: not Unicode, and its \u escape is refused by jsonb.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// In JSON.stringify's output: a \u0000 or a lone surrogate's escape (paired ones are written as they are), unless
// its backslash is itself escaped.
const UNSTORABLE_ESCAPE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;
const MAX_ID_LENGTH = 255;

/** The event with a payload jsonb can hold; WebhookEventError when an id or its type is not usable text. */
export function storableEvent(event: VerifiedWebhook): VerifiedWebhook {
  const ids = { "event id": event.eventId, "event type": event.type, "payment id": event.providerPaymentId ?? "-" };
  for (const [field, value] of Object.entries(ids)) {
    if (typeof value !== "string" || value === "" || value.length > MAX_ID_LENGTH || CONTROL.test(value) || LONE_SURROGATE.test(value)) {
      const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : typeof value;
      throw new WebhookEventError(`its ${field} ${shown} is not usable text (empty, over ${MAX_ID_LENGTH} characters, a control character or a lone surrogate)`);
    }
  }
  return { ...event, raw: storablePayload(event.raw) };
}

/**
 * The payload is a copy kept for people to read, so a NUL or a lone surrogate deep inside it (a customer's name, say)
 * becomes U+FFFD rather than costing a genuine event.
 */
function storablePayload(raw: unknown): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(raw);
  } catch (error) {
    throw new WebhookEventError("its payload cannot be stored (nested too deeply)", { cause: error });
  }
  if (text === undefined) throw new WebhookEventError("it has no payload to store");
  const storable = text.replace(UNSTORABLE_ESCAPE, "\\ufffd");
  return storable === text ? raw : JSON.parse(storable);
}
