// Values for an OpenAPI (JSON Schema) node: mostly ones that fit, so a request gets past validation into the domain,
// and now and then a nasty one in any field. Ids and codes are drawn from rows that exist when a field names one.
import fc from "fast-check";
import { EDGE_NUMBERS, nastyString, nastyValue, ODD_DATES, PLAIN_DATES, extraFields, unitString } from "./nasty";

export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  description?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
};

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: "path" | "query" | "header"; required?: boolean; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

/** Rows that exist in the hub under test, by kind ("inquiry", "booking", "partner"…). */
export type RealValues = Record<string, string[]>;

/**
 * Replaces up to two fields (at any depth) of a body that is known to be taken with nasty values, and sometimes adds
 * fields: the request then gets as far into the domain as the one bad field lets it.
 */
export function mutated(example: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      example,
      fc.array(fc.tuple(fc.nat(), nastyValue), { maxLength: 2 }),
      fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraFields }),
    )
    .map(([body, changes, extra]) => {
      const copy = structuredClone(body);
      const leaves = leafPaths(copy);
      for (const [index, value] of changes) {
        const path = leaves[index % leaves.length];
        if (!path) continue;
        // An earlier change may have replaced a parent with a value that has no fields: then this one is dropped.
        const holder = path.slice(0, -1).reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), copy);
        if (isRecord(holder)) holder[path.at(-1)!] = value;
      }
      return { ...copy, ...extra };
    });
}

const asText = (value: unknown) => (typeof value === "string" ? value : (JSON.stringify(value) ?? String(value)));

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object";

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== "object") return prefix.length ? [prefix] : [];
  const inner = Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  return prefix.length ? [prefix, ...inner] : inner;
}

/** The kind of row a field or a path segment names: inquiry_id and /inquiries/{id} are both inquiries. */
export function kindOf(name: string): string | undefined {
  const KINDS: Record<string, string> = {
    inquiries: "inquiry",
    inquiry_id: "inquiry",
    bookings: "booking",
    booking_id: "booking",
    resources: "resource",
    resource_id: "resource",
    blocks: "block",
    block_id: "block",
    payments: "payment",
    payment_id: "payment",
    proofs: "proof",
    proof_id: "proof",
    partners: "partner",
    partner_code: "partner",
    operators: "operator",
    user_id: "operator",
    b: "bookingToken",
    pay: "payToken",
    jobs: "job",
    "hub.verify_token": "verifyToken",
  };
  return KINDS[name];
}

const PHONES = ["+44 7911 123456", "07911 123456", "+1 202 555 0143", "0", "+44", "+99999999999999999999"];
const EMAILS = ["ann@example.co.uk", "a@b", "ann@@example.com", "ANN@EXAMPLE.CO.UK"];
const URLS = [
  "https://partner.example/hooks/hub",
  "http://127.0.0.1:9/hook",
  "http://10.0.0.1/x",
  "javascript:alert(1)",
  "https://[::1]:0/",
];

const isDateLike = (name: string, schema: Schema) =>
  /(_at|^from|^to|^at|^date)$/.test(name) ||
  /date|time/i.test(schema.description ?? "") ||
  schema.format === "date" ||
  schema.format === "date-time";

export class SchemaValues {
  constructor(
    private readonly doc: OpenApiDocument,
    private readonly real: RealValues,
  ) {}

  resolve(schema: Schema | undefined): Schema {
    if (!schema?.$ref) return schema ?? {};
    return this.resolve(this.doc.components?.schemas?.[schema.$ref.replace("#/components/schemas/", "")]);
  }

  /** Mostly a fitting value; sometimes a nasty one, of the right type or not. */
  value(schema: Schema | undefined, name = "", depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const nastyOfKind = isDateLike(name, s)
      ? fc.constantFrom(...ODD_DATES)
      : s.type === "integer" || s.type === "number"
        ? fc.constantFrom(...EDGE_NUMBERS)
        : nastyString;
    return fc.oneof(
      // Mostly fitting: a request with one bad field in ten is refused before the domain sees the rest.
      { weight: 30, arbitrary: this.fitting(s, name, depth) },
      { weight: 2, arbitrary: nastyOfKind },
      { weight: 1, arbitrary: nastyValue },
    );
  }

  /** A string for a path segment, a query value or a header: a real id when the name says which, else garbage. */
  text(schema: Schema | undefined, name: string, kind = kindOf(name)): fc.Arbitrary<string> {
    const real = kind ? (this.real[kind] ?? []) : [];
    return fc.oneof(
      { weight: real.length ? 8 : 0, arbitrary: real.length ? fc.constantFrom(...real) : fc.constant("") },
      // Not String(): a generated object with its own toString or valueOf key cannot be turned into text that way.
      { weight: 5, arbitrary: this.fitting(this.resolve(schema), name, 0).map(asText) },
      { weight: 3, arbitrary: nastyString },
    );
  }

  fitting(s: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    if (s.allOf) return this.fitting(this.merged(s.allOf), name, depth);
    const choices = s.anyOf ?? s.oneOf;
    if (choices) return fc.oneof(...choices.map((c) => this.fitting(this.resolve(c), name, depth)));
    if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => this.fitting({ ...s, type }, name, depth)));
    switch (s.type ?? (s.properties ? "object" : undefined)) {
      case "string":
        return this.fittingString(s, name);
      case "integer":
        return fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 100_000, 2 ** 31) });
      case "number":
        return fc.double({ min: s.minimum ?? -10, max: s.maximum ?? 1000, noNaN: true, noDefaultInfinity: true });
      case "boolean":
        return fc.boolean();
      case "null":
        return fc.constant(null);
      case "array":
        return depth > 3
          ? fc.constant([])
          : fc.array(this.value(s.items, name, depth + 1), { maxLength: Math.min(s.maxItems ?? 3, 3) });
      case "object":
        return depth > 3 ? fc.constant({}) : this.object(s, depth);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private fittingString(s: Schema, name: string): fc.Arbitrary<string> {
    const kind = kindOf(name);
    const real = kind ? (this.real[kind] ?? []) : [];
    if (real.length) return fc.constantFrom(...real);
    if (s.format === "uuid") return fc.uuid();
    if (s.format === "email" || name === "email") return fc.constantFrom(...EMAILS);
    if (s.format === "date") return fc.constantFrom("2026-07-01", "2027-03-05", "2030-12-24");
    if (isDateLike(name, s)) return fc.constantFrom(...PLAIN_DATES);
    if (name === "phone") return fc.constantFrom(...PHONES);
    if (/url$/.test(name)) return fc.constantFrom(...URLS);
    if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 200));
    const min = Math.max(1, s.minLength ?? 0);
    return fc.oneof(
      fc.string({ unit: "grapheme", minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 40, 40)) }),
      unitString(30).filter((v) => v.length >= min),
    );
  }

  private object(s: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const required = new Set(s.required ?? []);
    const entries = Object.entries(s.properties ?? {}).map(([key, prop]) =>
      fc.option(
        this.value(prop, key, depth + 1).map((v) => [key, v] as const),
        { freq: required.has(key) ? 20 : 2, nil: undefined },
      ),
    );
    return fc
      .tuple(
        fc.tuple(...entries),
        fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: extraFields }),
      )
      .map(([present, extra]) => ({ ...Object.fromEntries(present.filter((e) => e !== undefined)), ...extra }));
  }

  private merged(parts: Schema[]): Schema {
    const all = parts.map((p) => this.resolve(p));
    return {
      type: "object",
      properties: Object.assign({}, ...all.map((p) => p.properties ?? {})),
      required: all.flatMap((p) => p.required ?? []),
    };
  }
}
