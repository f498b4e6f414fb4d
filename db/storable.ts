// Text PostgreSQL can store: no NUL, and no half of a UTF-16 surrogate pair. Both become U+FFFD.
// text columns refuse NUL (22021); jsonb refuses the escapes JSON.stringify writes for either (22P05, 22P02).

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character this rule exists to find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const REPLACEMENT_CHARACTER = "\uFFFD";

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

/**
 * A parsed JSON value or form body with every string, keys included, made storable. Only plain objects and arrays
 * are looked into: anything else (a File, a Date) is returned as it is. Nothing is copied unless something changes,
 * so the common clean body costs one walk and no allocation (it is on every request's path, some of it twice).
 */
export function storableValue<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items = value.map(storableValue);
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const entries = Object.entries(value).map(
    ([key, item]) => [storableText(key), storableValue(item), key, item] as const,
  );
  if (entries.every(([key, item, sentKey, sentItem]) => key === sentKey && item === sentItem)) return value;
  // Same prototype (form bodies have none), and defined, not assigned, so that a "__proto__" key stays a key.
  const copy = Object.create(prototype) as object;
  for (const [key, item] of entries)
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy as T;
}
