// What a verified webhook must hold before it is looked up or stored, whichever provider sent it. A signature proves
// who sent the bytes, not that they make sense: an id PostgreSQL cannot store would fail the transaction (a 500, and
// the provider sends it again for days), so it is refused as unreadable instead.
import { storableText, storableValue } from "../../db/storable";
import { WebhookEventError, type VerifiedWebhook } from "../provider";

// NUL is refused by text columns; no control character belongs in an id.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_ID_LENGTH = 255;

/** The event with a payload jsonb can hold; WebhookEventError when an id or its type is not usable text. */
export function storableEvent(event: VerifiedWebhook): VerifiedWebhook {
  const ids = { "event id": event.eventId, "event type": event.type, "payment id": event.providerPaymentId ?? "-" };
  for (const [field, value] of Object.entries(ids)) {
    if (
      typeof value !== "string" ||
      value === "" ||
      value.length > MAX_ID_LENGTH ||
      CONTROL.test(value) ||
      storableText(value) !== value
    ) {
      const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 64)) : typeof value;
      throw new WebhookEventError(
        `its ${field} ${shown} is not usable text (empty, over ${MAX_ID_LENGTH} characters, a control character or a lone surrogate)`,
      );
    }
  }
  return { ...event, raw: storablePayload(event.raw) };
}

/**
 * The payload is a copy kept for people to read, so a NUL or a lone surrogate deep inside it (a customer's name, say)
 * becomes U+FFFD rather than costing a genuine event.
 */
function storablePayload(raw: unknown): unknown {
  try {
    // jsonb takes what JSON.stringify can write; a body nested past what it (or the walk below) can follow is not kept.
    if (JSON.stringify(raw) === undefined) throw new WebhookEventError("it has no payload to store");
    return storableValue(raw);
  } catch (error) {
    if (error instanceof WebhookEventError) throw error;
    throw new WebhookEventError("its payload cannot be stored (nested too deeply)", { cause: error });
  }
}
