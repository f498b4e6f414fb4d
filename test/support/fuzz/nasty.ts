// Inputs that have broken web services before: lone surrogates, NULs, impossible and far dates, numbers at the edge of
// what JSON and PostgreSQL hold, injection strings, wrong types. Built from code points, so the file stays plain ASCII.
import fc from "fast-check";

const HIGH = String.fromCharCode(0xd800);
const LOW = String.fromCharCode(0xdfff);
const NUL = String.fromCharCode(0);

/** Strings no database text column takes as they are (PostgreSQL refuses NUL; UTF-8 has no lone surrogate). */
export const UNSTORABLE = [HIGH, `a${LOW}b`, `${LOW}${HIGH}`, NUL, `x${NUL}y`, `${HIGH}`.repeat(300), `Ann${NUL}`];

export const INJECTIONS = [
  "'; drop table inquiries; --",
  "' OR '1'='1",
  "1; select pg_sleep(0)",
  "\\",
  "%",
  "_%_",
  "$1",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "{{reference}}",
  "{{",
  "}}{{amount}",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, meant literally.
  "${jndi:ldap://127.0.0.1/a}",
  "../../etc/passwd",
  "%00",
  "%ED%A0%80",
  "\r\nX-Injected: 1",
];

/** Dates that do not exist, are far from now, or are the wrong shape for what a field wants. */
export const ODD_DATES = [
  "2027-02-30",
  "2027-02-30T19:00",
  "2027-02-29T10:00",
  "2026-13-01T10:00",
  "2026-07-01T24:00",
  "2026-07-01T23:60",
  "24:00",
  "9999-12-31T23:59",
  "9999-12-31",
  "0001-01-01",
  "0001-01-01T00:00",
  "1899-12-31T23:59",
  "2101-01-01T00:00",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00",
  "2026-03-29T01:30", // the hour London skips in spring
  "2026-10-25T01:30", // the hour London lives twice in autumn
  "2027-03-28T01:30", // and the same in 2027, the year the hub's bookings reach into
  "2027-10-31T01:30",
  "2026-07-01T10:00:00+25:00",
  "2026-07-01T10:00:00.123456789Z",
  "2026-07-01 10:00",
  "20260701T1000",
  "1e308",
  "",
  " ",
];

export const PLAIN_DATES = [
  "2026-07-01T10:00",
  "2027-03-05T19:00",
  "2030-12-24T18:30:00",
  "2026-07-01T10:00:00+01:00",
  "2026-07-01T09:00:00Z",
  "2026-07-01",
];

export const EDGE_NUMBERS: unknown[] = [
  1e308,
  -1e308,
  2 ** 53 + 1,
  -(2 ** 53 + 1),
  -0,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 63,
  Number.MIN_VALUE,
  "NaN",
  "Infinity",
  "-0",
  "1e308",
  "9007199254740993",
];

export const WRONG_TYPES: unknown[] = [null, true, false, 0, [], {}, ["a"], [[]], { $ne: 1 }, { "": null }, "", 1e308];

const LONG = [
  "x".repeat(60_000),
  `${HIGH}`.repeat(8_000), // each one is six bytes as a JSON escape
  "\u00e9".repeat(20_000),
  "\ud83d\udc4d".repeat(10_000),
  "a".repeat(4_097),
  "a".repeat(255),
];

/** Code units to build strings from: ordinary text, and the units that need care. */
const UNITS = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "Z", "0", " ", "-", ".", "@", "+", ":", "/", "?", "&", "=", "#") },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      HIGH,
      LOW,
      NUL,
      "\u2028",
      "\ufeff",
      "\u200f",
      "\r",
      "\n",
      "\t",
      "'",
      '"',
      "\\",
      "%",
      "<",
      ">",
    ),
  },
);

export const unitString = (maxLength = 40) => fc.string({ unit: UNITS, maxLength });

/** Any of the string troubles, in one arbitrary. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...UNSTORABLE) },
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_DATES) },
  { weight: 1, arbitrary: fc.constantFrom(...LONG) },
  { weight: 4, arbitrary: unitString() },
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...WRONG_TYPES) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Extra fields nobody asked for, some named like real ones. */
export const extraFields = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      "__proto__",
      "constructor",
      "id",
      "status",
      "created_at",
      "partner_code",
      "api_key",
      "role",
      HIGH,
      "",
    ),
    unitString(12),
  ),
  nastyValue,
  { maxKeys: 3 },
);

/**
 * Percent-encodes a path segment or query value the way a careless client might: mostly properly, but a lone
 * surrogate becomes the bytes of its CESU-8 form (not UTF-8), which encodeURIComponent would refuse to produce.
 */
export function encodeLoosely(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join("");
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/** Ids that are not ids: wrong shapes, out-of-range numbers, near-misses of real uuids and references. */
export const GARBAGE_IDS = [
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-4000-8000-00000000ffff",
  "FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF",
  "{00000000-0000-4000-8000-000000000000}",
  "INQ-0",
  "INQ--1",
  "INQ-1e3",
  "INQ-99999999999999999999",
  "INQ-9223372036854775808",
  "BKG-0",
  "BKG-2147483648",
  "BKG-9007199254740993",
  "inq-1",
  "1",
  "-1",
  "0",
  "null",
  "undefined",
  "%2e%2e",
  "..",
  "a%2Fb",
  "%",
  "%zz",
  "%00",
  "%ED%A0%80",
  "x".repeat(3000),
];
