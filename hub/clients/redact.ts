// What stands in for erased personal data, and how a free-form JSON value (an audit entry's before and after, a
// task's payload) loses it: by what it keeps, not by what it removes, so that a field nobody listed is erased too.

/** The fixed placeholder where a column needs a value after an erasure. */
export const ERASED = "[erased]";

/** The placeholder for a unique column: the row's own id keeps it unique. */
export const erasedUnique = (rowId: string) => `${ERASED}:${rowId}`;

/**
 * Fields whose short code-like values are the hub's vocabulary (statuses, kinds, providers, currencies, references),
 * never words a person wrote or a way to reach them.
 */
const VOCABULARY = new Set([
  "action",
  "call_result",
  "cause",
  "clock",
  "code",
  "content_type",
  "currency",
  "from",
  "kind",
  "outcome",
  "partner_code",
  "policy",
  "provider",
  "provider_name",
  "reference",
  "refund",
  "role",
  "source",
  "status",
  "template",
  "to",
  "type",
  "via",
]);
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A date or an instant, as the hub writes them (ISO 8601). */
const WHEN = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function keptString(value: string, key: string | undefined): boolean {
  if (UUID.test(value) || WHEN.test(value)) return true;
  return key !== undefined && VOCABULARY.has(key) && CODE.test(value);
}

/**
 * The value with every string that is not an id, a date or a vocabulary word replaced by ERASED. Numbers (amounts,
 * counts, sizes), booleans and nulls stay: the business keeps amounts, dates and statuses.
 */
export function redact(value: unknown, key?: string): unknown {
  if (typeof value === "string") return keptString(value, key) ? value : ERASED;
  if (Array.isArray(value)) return value.map((item) => redact(item, key));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}
