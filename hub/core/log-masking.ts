// What a log line may not show: keys, secrets, e-mails, phone numbers and card numbers, masked wherever they appear.

/**
 * Fields whose value is a credential by its name, wherever a caller put it (pino `redact` paths; `*` is one level).
 * Values the names miss are still caught by their shape in maskLine.
 */
export const REDACTED_PATHS = [
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
  "*.authorization",
  "*.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "api_key",
  "apiKey",
  "*.api_key",
  "*.apiKey",
  "password",
  "*.password",
  "secret",
  "*.secret",
  "token",
  "*.token",
];

/** The shapes of what must never be logged, each with what it becomes, in the order they are tried. */
const SECRETS: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[^\s"\\,;]+/gi, "$1 [redacted]"],
  // The hub's own API keys (hub/auth/api-keys.ts).
  [/\bhub_[A-Za-z0-9_-]{16,}/g, "hub_[redacted]"],
  [/\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9]+/g, "[secret]"],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, "[secret]"],
  [/\bwsk_[A-Za-z0-9]+/g, "[secret]"],
  // A Telegram bot token, which grammY puts in the URLs it calls.
  [/(?<!\d)\d{5,12}:[A-Za-z0-9_-]{30,}/g, "[bot token]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[email]"],
];

/**
 * 13 to 19 digits, maybe in groups: a card number if the Luhn check passes, else perhaps a phone number. Not next to a
 * letter, a dot or a dash, so UUIDs, hashes and dates are left alone.
 */
const CARD = /(?<![\w.+-])\d(?:[ -]?\d){12,18}(?![\w.-])/g;
/** A phone number as people write one: at least 10 digits, maybe after `+`, in groups, or in brackets. */
const PHONE = /(?<![\w.+-])\+?\(?\d(?:[ ().-]{0,2}\d){9,14}(?![\w.-])/g;

export function maskText(text: string): string {
  let masked = text;
  for (const [shape, replacement] of SECRETS) masked = masked.replace(shape, replacement);
  masked = masked.replace(CARD, (digits) => (luhn(digits) ? "[card]" : digits));
  return masked.replace(PHONE, (phone) => {
    // "(07911 123456)": the bracket belongs to the sentence, not to the number.
    const opened = phone.startsWith("(") && !phone.includes(")") ? "(" : "";
    return `${opened}…${phone.replace(/\D/g, "").slice(-4)}`;
  });
}

/**
 * A serialized log line with every JSON string in it masked. Numbers stay as they are: pino's `time` is one, and
 * reading digits outside strings as phone numbers would hide it.
 */
export function maskLine(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, maskText);
}

function luhn(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "");
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
