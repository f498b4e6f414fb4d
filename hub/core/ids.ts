// How text names a row: its id (a UUID), or its reference (INQ-1042, BKG-12). PostgreSQL refuses a uuid that is
// not one with an error, so text that cannot be an id is turned away here, before the database is asked.

/** A UUID in its 8-4-4-4-12 form, for a pattern that has one inside (a button's callback data). */
export const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const UUID = new RegExp(`^${UUID_PATTERN}$`, "i");

/** Any case: ids come back from people as well as from the API. */
export const isUuid = (text: string): boolean => UUID.test(text);

export type RowName = { id: string } | { number: number };

/**
 * The row `text` names: an id, or a reference with the given prefix (any case) or its bare number; undefined when
 * it is neither. Fifteen digits at most, so the number is exact.
 */
export function parseRowName(prefix: string, text: string): RowName | undefined {
  const trimmed = text.trim();
  const number = new RegExp(`^(?:${prefix}-)?(\\d{1,15})$`, "i").exec(trimmed)?.[1];
  if (number) return { number: Number(number) };
  return isUuid(trimmed) ? { id: trimmed } : undefined;
}
