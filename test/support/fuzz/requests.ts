// One generated request for one operation of the hub: path, query, key, headers and body, and how to sign it when
// the route wants a provider's signature. Routes that take a signed body get bodies shaped like the sender's.
import fc from "fast-check";
import { revolutEvents, stripeEvents, telegramUpdates, whatsappWebhooks } from "./deliveries";
import { encodeLoosely, GARBAGE_IDS, INJECTIONS, nastyString, nastyValue, unitString } from "./nasty";
import { kindOf, mutated, SchemaValues, type Operation, type Schema } from "./schema-values";
import type { FuzzWorld } from "./world";

export interface Endpoint {
  method: string;
  /** As the OpenAPI document writes it: /inquiries/{id}. */
  path: string;
  operation: Operation;
}

export type Body =
  | { kind: "json"; value: unknown }
  | { kind: "text"; text: string }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "form"; fields: [string, string][] }
  | {
      kind: "multipart";
      file: "png" | "pdf" | "text" | "empty" | "none";
      fileName: string;
      fields: [string, string][];
    };

export type Signer = "partner" | "telegram" | "whatsapp" | "stripe" | "revolut";

/** The part of a request that carries the body. */
type Payload = { body?: Body; contentType?: string; sign?: Signer; headers?: Record<string, string> };

export interface FuzzInput {
  url: string;
  auth: "admin" | "operator" | "manager" | "none" | "garbage";
  headers: Record<string, string>;
  contentType?: string;
  body?: Body;
  /** Signed as the sender signs, just before it is sent (the signatures carry the time). */
  sign?: Signer;
}

const SIGNED: Record<string, Signer> = {
  "POST /partners/{code}/inquiries": "partner",
  "POST /webhooks/telegram": "telegram",
  "POST /webhooks/whatsapp": "whatsapp",
  "POST /webhooks/stripe": "stripe",
  "POST /webhooks/secondary": "revolut",
};

/** Header values as fetch allows them (no NUL, CR or LF; bytes only), some of them hostile. */
const headerText = fc.oneof(
  fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => s.replace(/[\0\r\n]/g, "")),
  fc.constantFrom(...INJECTIONS.filter((s) => !/[\r\n]/.test(s)), "x".repeat(300), "caf\u00e9", " ", ""),
);

/** Mostly the admin, whose requests reach the most code; now and then a key with less power, none or a wrong one. */
const STAFF_KEYS: fc.Arbitrary<FuzzInput["auth"]> = fc.oneof(
  { weight: 14, arbitrary: fc.constant("admin" as const) },
  { weight: 2, arbitrary: fc.constant("operator" as const) },
  { weight: 1, arbitrary: fc.constantFrom("manager" as const, "none" as const, "garbage" as const) },
);

const CONTENT_TYPES = [
  "text/plain",
  "application/json; charset=latin1",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=zzz",
  "application/problem+json",
  "application/json;;",
  "*/*",
];

/** Raw bodies no JSON encoder would write. */
const rawText = (fitting: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.constantFrom(
      "",
      "null",
      "[]",
      "{",
      '{"a":',
      "\ufeff{}",
      '{"a":1,"a":2}',
      '{"n": 1e999}',
      '{"n": -1e999}',
      "[".repeat(3000) + "]".repeat(3000),
      '"\\ud800"',
      '{"\\u0000": "\\u0000"}',
      "not json at all",
    ),
    fitting.map((v) => (JSON.stringify(v) ?? "").slice(0, -1)), // cut short
    fitting.map((v) => (JSON.stringify(v) ?? "").replace(/:(\d+)/, ":1e400")),
  );

const badBytes = fc.constantFrom<number[]>(
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe2, 0x82, 0x22, 0x7d],
  [0],
);

export class RequestMaker {
  private readonly values: SchemaValues;

  constructor(private readonly world: FuzzWorld) {
    this.values = new SchemaValues(world.doc, world.real);
  }

  requests(endpoint: Endpoint): fc.Arbitrary<FuzzInput> {
    const { operation } = endpoint;
    const signer = SIGNED[`${endpoint.method} ${endpoint.path}`];
    const params = operation.parameters ?? [];
    const isPublic = !operation.security?.length;
    return fc
      .record({
        path: this.path(endpoint),
        query: this.query(params.filter((p) => p.in === "query")),
        headers: this.headers(params.filter((p) => p.in === "header")),
        auth: isPublic ? fc.constantFrom<FuzzInput["auth"]>("none", "none", "none", "admin") : STAFF_KEYS,
        payload: this.payload(endpoint, signer),
      })
      .map(({ path, query, headers, auth, payload }) => ({
        ...payload,
        url: path + query,
        auth,
        headers: { ...headers, ...payload.headers },
      }));
  }

  private path(endpoint: Endpoint): fc.Arbitrary<string> {
    const segments = endpoint.path.split("/").slice(1);
    const parts = segments.map((segment, i) => {
      const name = /^\{(.+)\}$/.exec(segment)?.[1];
      if (!name) return fc.constant(segment);
      if (SIGNED[`${endpoint.method} ${endpoint.path}`] === "partner") {
        // Mostly the partner whose secret signs the body, so the body gets past the signature.
        return fc.oneof(
          { weight: 8, arbitrary: fc.constant(this.world.signer.code) },
          { weight: 1, arbitrary: this.pathValue(undefined, name, "partner") },
        );
      }
      const schema = endpoint.operation.parameters?.find((p) => p.in === "path" && p.name === name)?.schema;
      // /inquiries/{id} is an inquiry, /payments/{id}/proofs/{proof_id} a proof; the docs' {name} an asset.
      const kind =
        name === "name" ? "asset" : name !== "id" && kindOf(name) ? kindOf(name) : kindOf(segments[i - 1] ?? "");
      return this.pathValue(schema, name, kind);
    });
    return fc.tuple(...parts).map((p) => `/${p.join("/")}`);
  }

  private pathValue(schema: Schema | undefined, name: string, kind = kindOf(name)): fc.Arbitrary<string> {
    return fc.oneof(
      { weight: 8, arbitrary: this.values.text(schema, name, kind).map(encodeLoosely) },
      { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_IDS) },
    );
  }

  private query(params: NonNullable<Operation["parameters"]>): fc.Arbitrary<string> {
    const pairs = params.map((p) =>
      fc.option(
        fc
          .oneof(
            { weight: 8, arbitrary: this.values.text(p.schema, p.name).map(encodeLoosely) },
            { weight: 1, arbitrary: fc.constantFrom(...GARBAGE_IDS) },
          )
          .map((v) => `${encodeURIComponent(p.name)}=${v}`),
        { freq: p.required ? 20 : 2, nil: undefined },
      ),
    );
    const extra = fc.oneof(
      { weight: 5, arbitrary: fc.constant([] as string[]) },
      // a parameter twice, one nobody asked for, one with no value
      {
        weight: 1,
        arbitrary: fc.tuple(unitString(8), nastyString).map(([k, v]) => [`${encodeLoosely(k)}=${encodeLoosely(v)}`]),
      },
      { weight: 1, arbitrary: fc.constant(params[0]?.name ?? "limit").map((n) => [`${n}=1`, `${n}=2`, n]) },
    );
    return fc.tuple(fc.tuple(...pairs), extra).map(([given, more]) => {
      const all = [...given.filter((p): p is string => p !== undefined), ...more];
      return all.length ? `?${all.join("&")}` : "";
    });
  }

  private headers(params: NonNullable<Operation["parameters"]>): fc.Arbitrary<Record<string, string>> {
    const entries = params
      .filter((p) => !/signature|timestamp|secret-token/.test(p.name))
      .map((p) =>
        fc.option(
          headerText.map((v) => [p.name, v] as const),
          { freq: 2, nil: undefined },
        ),
      );
    return fc.tuple(...entries).map((e) => Object.fromEntries(e.filter((x) => x !== undefined)));
  }

  private payload(endpoint: Endpoint, signer: Signer | undefined): fc.Arbitrary<Payload> {
    const content = endpoint.operation.requestBody?.content ?? {};
    const jsonSchema = content["application/json"]?.schema;
    const formSchema = content["application/x-www-form-urlencoded"]?.schema;
    const example = this.world.examples[`${endpoint.method} ${endpoint.path}`];
    const fromSchema = this.values.value(jsonSchema ?? formSchema);
    const fitting =
      this.shaped(signer) ??
      (example
        ? fc.oneof({ weight: 3, arbitrary: mutated(example) }, { weight: 1, arbitrary: fromSchema })
        : fromSchema);

    if (content["multipart/form-data"]) return this.multipart();
    const json = this.json(fitting);
    const form = formSchema ? this.form(this.values.value(formSchema)) : undefined;
    const none = fc.constant<Payload>({});
    const main = form && jsonSchema ? fc.oneof(json, form) : (form ?? (jsonSchema ? json : undefined));
    const withBody: fc.Arbitrary<Payload> =
      main ?? fc.oneof({ weight: 5, arbitrary: none }, { weight: 1, arbitrary: this.json(nastyValue) });
    if (!signer) return withBody;
    return fc
      .tuple(
        withBody,
        fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
        this.signerHeaders(signer),
      )
      .map(([p, sign, headers]) => ({
        ...p,
        headers,
        ...(sign && p.body && p.body.kind !== "bytes" ? { sign: signer } : {}),
      }));
  }

  /** What a provider or a channel sends, when the route takes one's signed deliveries. */
  private shaped(signer: Signer | undefined): fc.Arbitrary<unknown> | undefined {
    const { real, chats } = this.world;
    const sent = {
      telegram: () => telegramUpdates(real, chats),
      whatsapp: whatsappWebhooks,
      stripe: () => stripeEvents(real),
      revolut: () => revolutEvents(real),
      partner: undefined,
    }[signer ?? "partner"]?.();
    // Now and then a field of any depth of its own type no sender would write (a date that is a string, an id that is
    // an object).
    return (
      sent &&
      fc.oneof(
        { weight: 3, arbitrary: sent },
        { weight: 1, arbitrary: mutated(sent as fc.Arbitrary<Record<string, unknown>>) },
      )
    );
  }

  private json(fitting: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> {
    const type = fc.oneof(
      { weight: 12, arbitrary: fc.constant("application/json") },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES, undefined) },
    );
    const body: fc.Arbitrary<Body> = fc.oneof(
      { weight: 12, arbitrary: fitting.map((value): Body => ({ kind: "json", value })) },
      { weight: 1, arbitrary: nastyValue.map((value): Body => ({ kind: "json", value })) },
      { weight: 2, arbitrary: rawText(fitting).map((text): Body => ({ kind: "text", text })) },
      { weight: 1, arbitrary: badBytes.map((bytes): Body => ({ kind: "bytes", bytes })) },
    );
    return fc.record({ body, contentType: type });
  }

  private form(fitting: fc.Arbitrary<unknown>): fc.Arbitrary<Payload> {
    const fields = fitting.map((v): [string, string][] =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.entries(v).map(([k, x]) => [k, typeof x === "string" ? x : (JSON.stringify(x) ?? "")])
        : [["value", String(v)]],
    );
    const body: fc.Arbitrary<Body> = fc.oneof(
      { weight: 6, arbitrary: fields.map((f): Body => ({ kind: "form", fields: f })) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            "action=%ED%A0%80",
            "action=%",
            "action=accept&action=decline",
            "action=%00",
            "=",
            "&&&",
            "name=%E0%A4%A",
          )
          .map((text): Body => ({ kind: "text", text })),
      },
      { weight: 1, arbitrary: badBytes.map((bytes): Body => ({ kind: "bytes", bytes })) },
    );
    return fc.record({
      body,
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constant("application/x-www-form-urlencoded") },
        { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...CONTENT_TYPES, undefined) },
      ),
    });
  }

  private multipart(): fc.Arbitrary<Payload> {
    // Mostly a proof the route takes (a PNG with a comment), so that the nasty file name or comment reaches the insert.
    const comment = fc.oneof(
      { weight: 2, arbitrary: fc.constant("The customer's transfer") },
      { weight: 1, arbitrary: nastyString },
    );
    const more = fc.tuple(fc.constantFrom("comment", "file", "note", "__proto__"), nastyString).map((field) => [field]);
    const fields = fc.tuple(
      comment,
      fc.oneof({ weight: 4, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: more }),
    );
    return fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .record({
            file: fc.oneof(
              { weight: 4, arbitrary: fc.constant("png" as const) },
              {
                weight: 1,
                arbitrary: fc.constantFrom("pdf" as const, "text" as const, "empty" as const, "none" as const),
              },
            ),
            fileName: fc.oneof(fc.constantFrom("proof.png", "proof.pdf", ""), nastyString),
            fields: fields.map(([text, more]): [string, string][] => [["comment", text], ...more]),
          })
          .map((body): Payload => ({ body: { kind: "multipart", ...body } })),
      },
      { weight: 1, arbitrary: this.json(nastyValue) },
    );
  }

  private signerHeaders(signer: Signer): fc.Arbitrary<Record<string, string>> {
    if (signer !== "partner") return fc.constant({});
    return fc.record({
      "webhook-id": fc.oneof(
        {
          weight: 6,
          arbitrary: fc
            .string({ unit: "binary-ascii", minLength: 1, maxLength: 30 })
            .map((s) => `msg_${s.replace(/[^\x21-\x7e]/g, "")}`),
        },
        { weight: 1, arbitrary: headerText },
      ),
      // Seconds from now: the signature is checked for the time as well.
      "webhook-timestamp": fc.oneof(
        { weight: 8, arbitrary: fc.constant("0") },
        { weight: 1, arbitrary: fc.constantFrom("-600", "600", "x", "1e308") },
      ),
    });
  }
}
