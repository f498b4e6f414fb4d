// Normalising how a client can be reached: E.164 phones (libphonenumber-js, GB by default), lower-case emails.
import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export const DEFAULT_PHONE_REGION = "GB";

/** A number a person typed, in E.164 (`+447911123456`); undefined unless it is a valid number. */
export function toE164(raw: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw.trim(), DEFAULT_PHONE_REGION);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * The number behind a WhatsApp chat id: the customer's number without "+" (Cloud API `wa_id`), or that with
 * `@c.us` after it (whatsapp-web.js). WhatsApp has verified it already, so a number of possible length is
 * taken even where the phone metadata does not know its range yet: a lead is never lost to stale metadata.
 */
export function phoneFromWhatsAppChatId(chatId: string): string | undefined {
  const digits = chatId.replace(/@c\.us$/, "");
  if (!/^\d{6,15}$/.test(digits)) return undefined;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isPossible() ? parsed.number : undefined;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
