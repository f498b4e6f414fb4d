// Bodies the hub takes, per route, about the rows that exist: the guard mutates a field or two of them, so that the
// nasty value meets the domain code and not only the validator. Routes not named here get bodies from their schema.
import fc from "fast-check";
import type { RealValues } from "./schema-values";

const pad = (n: number) => String(n).padStart(2, "0");

/** A London wall time in the next few years, at a quarter hour in opening hours. */
const wallTime = fc
  .tuple(
    fc.integer({ min: 2027, max: 2030 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.integer({ min: 8, max: 21 }),
    fc.constantFrom(0, 15, 30, 45),
  )
  .map(([y, mo, d, h, mi]) => `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`);

const token = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
  minLength: 6,
  maxLength: 12,
});
const phone = fc.integer({ min: 100_000, max: 999_999 }).map((n) => `07911 ${n}`);
const email = token.map((t) => `${t}@example.co.uk`);
const text = fc.constantFrom("A table for four, please", "Birthday party of 12 on Friday", "Can we bring a dog?");

type Examples = Record<string, fc.Arbitrary<Record<string, unknown>>>;

export function examples(real: RealValues): Examples {
  const pick = (kind: string) => fc.constantFrom(...(real[kind] ?? ["none"]));
  const client = fc.record({ name: fc.constantFrom("Ann Lee", "Bo Chan"), phone, email });
  const inquiry = fc.oneof(
    fc.record({ source: fc.constant("web_form"), message: text, client }),
    fc.record({
      source: fc.constant("telegram"),
      message: text,
      external_chat_id: fc.integer({ min: 1, max: 2 ** 40 }).map(String),
      external_message_id: token,
    }),
    fc.record({
      source: fc.constant("whatsapp"),
      message: text,
      external_chat_id: fc.constant("447911123456"),
      external_message_id: token.map((t) => `wamid.${t}`),
    }),
    fc.record({
      source: fc.constant("partner"),
      partner_code: pick("partner"),
      client,
      party_size: fc.integer({ min: 1, max: 40 }),
      requested_start_at: wallTime,
    }),
    fc.record({
      source: fc.constant("phone"),
      client,
      duration_seconds: fc.integer({ min: 0, max: 3600 }),
      call_result: fc.constantFrom("answered_interested", "callback_requested", "no_answer"),
      operator_id: pick("operator"),
    }),
  );
  const resource = fc.record({
    name: token.map((t) => `Room ${t}`),
    capacity: fc.integer({ min: 1, max: 50 }),
    tags: fc.constant(["window"]),
    opening_hours: fc.constant([{ day: "mon", opens: "09:00", closes: "22:00" }]),
  });
  return {
    "POST /inquiries": inquiry,
    "POST /bookings": fc.record({
      inquiry_id: pick("inquiry"),
      resource_id: pick("resource"),
      start_at: wallTime,
      duration_minutes: fc.integer({ min: 30, max: 240 }),
      party_size: fc.integer({ min: 1, max: 12 }),
      deposit_amount: fc.integer({ min: 0, max: 10_000 }),
    }),
    "POST /resources": resource,
    "PATCH /resources/{id}": resource,
    "POST /resources/{id}/blocks": fc.tuple(wallTime, wallTime, text).map(([a, b, reason]) => {
      const [startsAt, endsAt] = [a, b].sort(); // wall times as text sort as times
      return { starts_at: startsAt, ends_at: endsAt, reason };
    }),
    "POST /partners": fc.record({
      code: token.map((t) => `p-${t}`),
      name: fc.constant("Partner"),
      commission_percent: fc.constantFrom(0, 10, 12.5, 33.33),
      webhook_url: fc.constant("https://partner.example/hooks"),
    }),
    "PATCH /partners/{code}": fc.record({
      name: fc.constant("Partner"),
      commission_percent: fc.constant(12.5),
      status: fc.constantFrom("active", "suspended"),
      webhook_url: fc.constantFrom("https://partner.example/hooks", null),
    }),
    "POST /forms/inquiry": fc.record({
      name: fc.constant("Ann Lee"),
      email,
      phone,
      message: text,
      requested_start_at: wallTime,
      party_size: fc.integer({ min: 1, max: 20 }),
      submission_id: token,
    }),
    "POST /partners/{code}/inquiries": fc.record({
      client,
      message: text,
      requested_start_at: wallTime,
      party_size: fc.integer({ min: 1, max: 20 }),
      service: fc.constant("Dinner"),
    }),
    "PUT /sla-policies/{source}": fc.oneof(
      fc.record({ deadline_minutes: fc.integer({ min: 1, max: 600 }) }),
      fc.record({
        deadline_minutes: fc.integer({ min: 1, max: 600 }),
        clock: fc.constant("business"),
        business_hours: fc.constant([
          { day: "mon", opens: "09:00", closes: "13:00" },
          { day: "mon", opens: "14:00", closes: "18:00" },
          { day: "sat", opens: "10:00", closes: "24:00" },
        ]),
      }),
    ),
    "POST /holidays": fc.record({
      date: fc
        .tuple(fc.integer({ min: 2031, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
        .map(([y, mo, d]) => `${y}-${pad(mo)}-${pad(d)}`),
      name: fc.constantFrom("Staff training", "Refit"),
    }),
    "PUT /templates/{key}": fc
      .constantFrom("Thanks, {{reference}}", "Pay {{amount}} for {{reference}}: {{url}}")
      .map((body) => ({ body })),
  };
}
