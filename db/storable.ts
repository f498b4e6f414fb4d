// Text PostgreSQL can store: no NUL, and no half of a UTF-16 surrogate pair. Both become U+FFFD.
// text columns refuse NUL (22021); jsonb refuses the escapes JSON.stringify writes for either (22P05, 22P02).

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const REPLACEMENT_CHARACTER = "\uFFFD";

export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT_CHARACTER);
}

/**
 * A parsed JSON value or form body with every string, keys included, made storable. Only plain objects and arrays
 * are rebuilt: anything else (a File, a Date) is returned as it is.
 */
export function storableValue<T>(value: T): T {
  if (typeof value === "string") return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableValue) as T;
  if (value === null || typeof value !== "object") return value;
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  // Same prototype (form bodies have none), and defined, not assigned, so that a "__proto__" key stays a key.
  const copy = Object.create(prototype) as object;
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, storableText(key), { value: storableValue(item), enumerable: true, writable: true, configurable: true });
  }
  return copy as T;
}
