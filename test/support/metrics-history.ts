// A seeded history of inquiries, bookings, payments, refunds and no-shows around London's clock changes, written as
// the hub writes them: rows plus their outbox events, payments moved by the payments domain's own movePayment. With
// it, the facts an independent oracle needs to say what each London day should hold.
import { randomUUID } from "node:crypto";
import { asc } from "drizzle-orm";
import type { Database, Executor } from "../../db/client";
import {
  bookings,
  clients,
  INQUIRY_SOURCES,
  type InquirySource,
  inquiries,
  outboxEvents,
  partners,
  payments,
  resources,
  users,
} from "../../db/schema";
import { appendEvent } from "../../hub/core/events/outbox";
import type { HubEvent } from "../../hub/core/events/types";
import { eventPayload, movePayment, type PaymentRow } from "../../payments/orchestrator/attempts";

/** mulberry32: a small seeded generator, so a failing history can be made again from its seed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Random = ReturnType<typeof seeded>;

const MINUTE = 60_000;
/** Around both 2027 clock changes (01:00 UTC on 28 March and 31 October), London midnight and the lost/doubled hour. */
const WINDOWS = [
  { start: Date.parse("2027-03-26T22:00:00Z"), end: Date.parse("2027-03-29T03:00:00Z") },
  { start: Date.parse("2027-10-29T21:00:00Z"), end: Date.parse("2027-11-01T03:00:00Z") },
];
/** The instants that matter most: London midnight either side, 00:00–03:00 UTC on the change days. */
const HOT = [
  "2027-03-27T23:00:00Z",
  "2027-03-28T00:00:00Z",
  "2027-03-28T01:00:00Z",
  "2027-03-28T23:00:00Z",
  "2027-10-30T23:00:00Z",
  "2027-10-31T00:00:00Z",
  "2027-10-31T01:00:00Z",
  "2027-10-31T23:00:00Z",
  "2027-10-31T23:59:00Z",
].map(Date.parse);

function instant(r: Random): Date {
  if (r.chance(0.5)) return new Date(r.pick(HOT) + r.int(-90, 90) * MINUTE + r.int(0, 59_999));
  const w = r.pick(WINDOWS);
  return new Date(w.start + Math.floor(r.next() * (w.end - w.start)));
}
const later = (r: Random, after: Date) => new Date(after.getTime() + r.int(1, 36 * 60) * MINUTE + r.int(0, 59_999));

/** A fact the oracle counts: what happened, to which source, when, and how much (pence). */
export type Fact =
  | { kind: "received"; source: InquirySource; at: Date }
  | { kind: "paid"; source: InquirySource; at: Date; amount: number; inquiry: string; id: string }
  | { kind: "back"; source: InquirySource; at: Date; amount: number }
  | { kind: "no_show"; source: InquirySource; at: Date };

/** Writes `count` generated inquiries and what followed them. Returns the facts and every event written. */
export async function writeHistory(db: Database, seed: number, count: number) {
  const r = seeded(seed);
  const facts: Fact[] = [];
  const [user] = await db
    .insert(users)
    .values({ name: "Caller", role: "operator", apiKeyHash: `hash-${randomUUID()}` })
    .returning();
  const partnerCode = `history-${seed}`;
  await db.insert(partners).values({ code: partnerCode, name: "History partner" });
  const [resource] = await db.insert(resources).values({ name: "Room", capacity: 10 }).returning();
  let slot = 0;

  for (let i = 0; i < count; i++) {
    const source = r.pick(INQUIRY_SOURCES);
    const receivedAt = instant(r);
    await db.transaction(async (tx) => {
      const [client] = await tx
        .insert(clients)
        .values({ name: `Client ${i}` })
        .returning();
      const chat = source === "telegram" || source === "whatsapp";
      const [inquiry] = await tx
        .insert(inquiries)
        .values({
          source,
          clientId: client!.id,
          requestHash: `h${i}`,
          receivedAt,
          slaDeadlineMinutes: 15,
          slaDeadlineAt: new Date(receivedAt.getTime() + 15 * MINUTE),
          sourceWeight: "1.00",
          priority: 1,
          ...(chat ? { externalChatId: `chat-${seed}-${i}`, externalMessageId: `msg-${i}` } : {}),
          ...(source === "partner" ? { partnerCode } : {}),
          ...(source === "phone"
            ? {
                durationSeconds: 60,
                callResult: "answered_interested" as const,
                operatorId: user!.id,
                firstResponseAt: receivedAt,
              }
            : {}),
        })
        .returning();
      await appendEvent(tx, {
        type: "inquiry.created",
        aggregateType: "inquiry",
        aggregateId: inquiry!.id,
        payload: {
          inquiry_id: inquiry!.id,
          source,
          client_id: client!.id,
          partner_code: source === "partner" ? partnerCode : null,
          received_at: receivedAt.toISOString(),
          sla_deadline_at: inquiry!.slaDeadlineAt.toISOString(),
          priority: 1,
        },
      });
      facts.push({ kind: "received", source, at: receivedAt });
      // A booking the customer missed, starting around the clock changes: counted on its start's London date.
      if (r.chance(0.05)) {
        const startsAt = instant(r);
        const [missed] = await tx
          .insert(bookings)
          .values({
            inquiryId: inquiry!.id,
            clientId: client!.id,
            resourceId: resource!.id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + 3600_000),
            status: "no_show",
            depositAmount: 0,
          })
          .returning();
        await appendEvent(tx, {
          type: "booking.no_show",
          aggregateType: "booking",
          aggregateId: missed!.id,
          payload: {
            booking_id: missed!.id,
            reference: `BKG-${missed!.number}`,
            inquiry_id: inquiry!.id,
            resource_id: resource!.id,
            source,
            partner_code: source === "partner" ? partnerCode : null,
            from: "confirmed",
            to: "no_show",
            starts_at: startsAt.toISOString(),
            ends_at: missed!.endsAt.toISOString(),
          },
        });
        facts.push({ kind: "no_show", source, at: startsAt });
      }
      if (!r.chance(0.4)) return;

      for (let b = r.int(1, 2); b > 0; b--) {
        const startsAt = new Date(Date.parse("2030-01-01T00:00:00Z") + slot++ * 3600_000);
        const [booking] = await tx
          .insert(bookings)
          .values({
            inquiryId: inquiry!.id,
            clientId: client!.id,
            resourceId: resource!.id,
            startsAt,
            endsAt: new Date(startsAt.getTime() + 3600_000),
            status: "confirmed",
            depositAmount: r.int(1, 40_000),
          })
          .returning();
        // A booking that ran out before its first payment: every success for it is a duplicate.
        let confirmed = r.chance(0.15);
        let at = later(r, receivedAt);
        for (let n = 1, attempts = r.int(1, 3); n <= attempts; n++) {
          const [open] = await tx
            .insert(payments)
            .values({
              bookingId: booking!.id,
              provider: "stripe",
              providerName: "stripe",
              type: "deposit",
              status: "open",
              amount: `${Math.trunc(booking!.depositAmount / 100)}.${String(booking!.depositAmount % 100).padStart(2, "0")}`,
              currency: "GBP",
              attemptNumber: n,
            })
            .returning();
          if (!r.chance(0.6)) {
            await movePayment(tx, open!, "failed", { actorId: null, action: "payment.failed" });
            continue;
          }
          at = later(r, at);
          const paid = await movePayment(tx, open!, "paid", { actorId: null, action: "payment.paid" }, { paidAt: at });
          const amount = booking!.depositAmount;
          facts.push({ kind: "paid", source, at, amount, inquiry: inquiry!.id, id: paid.id });
          if (!confirmed) {
            confirmed = true;
            await appendEvent(tx, {
              type: "payment.paid",
              aggregateType: "payment",
              aggregateId: paid.id,
              payload: {
                ...eventPayload(paid),
                inquiry_id: inquiry!.id,
                source,
                partner_code: null,
                paid_at: at.toISOString(),
                via: "status",
              },
            });
            // Refunded later in the provider's dashboard: no refund row of the hub's own.
            if (r.chance(0.15)) {
              at = later(r, at);
              await movePayment(
                tx,
                paid,
                "refunded",
                { actorId: null, action: "payment.refunded" },
                { refundedAt: at },
              );
              facts.push({ kind: "back", source, at, amount });
            }
            continue;
          }
          await appendEvent(tx, {
            type: "payment.duplicate",
            aggregateType: "payment",
            aggregateId: paid.id,
            payload: eventPayload(paid),
          });
          await refundDuplicate(tx, r, paid, (back) => facts.push({ kind: "back", source, at: back, amount }));
        }
      }
    });
  }
  const events = await db.select().from(outboxEvents).orderBy(asc(outboxEvents.createdAt));
  return {
    facts,
    events: events.map(
      (e): HubEvent => ({
        id: e.id,
        type: e.type as HubEvent["type"],
        payload: e.payload as HubEvent["payload"],
        created_at: e.createdAt.toISOString(),
      }),
    ),
  };
}

/** As refundDuplicate does: a refund row, done at once, later, or failed; the attempt refunded. */
async function refundDuplicate(tx: Executor, r: Random, paid: PaymentRow, back: (at: Date) => void) {
  const requested = later(r, paid.paidAt!);
  const [refund] = await tx
    .insert(payments)
    .values({
      bookingId: paid.bookingId,
      provider: paid.provider,
      providerName: paid.providerName,
      providerPaymentId: `re_${randomUUID()}`,
      type: "refund",
      status: "open",
      amount: paid.amount,
      currency: paid.currency,
      attemptNumber: paid.attemptNumber,
      refundOf: paid.id,
    })
    .returning();
  await movePayment(tx, paid, "refunded", { actorId: null, action: "payment.refunded" }, { refundedAt: requested });
  const outcome = r.pick(["at once", "later", "pending", "failed"] as const);
  if (outcome === "pending") return;
  if (outcome === "failed") {
    await movePayment(tx, refund!, "failed", null);
    return;
  }
  const done = outcome === "at once" ? requested : later(r, requested);
  await movePayment(tx, refund!, "refunded", null, { refundedAt: done });
  back(done);
}

/** The London date of an instant, by the platform's own time-zone data (not hub/core/time). */
const oracleDate = (at: Date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" })
    .format(at)
    .replaceAll("/", "-");

/** What each (London date, source) should hold, worked out from the facts alone. */
export function expectedDays(facts: Fact[]) {
  const days = new Map<string, { total: number; converted: number; revenue: number; noShows: number }>();
  const add = (at: Date, source: InquirySource, total: number, converted: number, revenue: number, noShows = 0) => {
    const key = `${oracleDate(at)}|${source}`;
    const day = days.get(key) ?? { total: 0, converted: 0, revenue: 0, noShows: 0 };
    days.set(key, {
      total: day.total + total,
      converted: day.converted + converted,
      revenue: day.revenue + revenue,
      noShows: day.noShows + noShows,
    });
  };
  const first = new Map<string, Fact & { kind: "paid" }>();
  for (const f of facts) {
    if (f.kind === "received") add(f.at, f.source, 1, 0, 0);
    if (f.kind === "back") add(f.at, f.source, 0, 0, -f.amount);
    if (f.kind === "no_show") add(f.at, f.source, 0, 0, 0, 1);
    if (f.kind !== "paid") continue;
    add(f.at, f.source, 0, 0, f.amount);
    const seen = first.get(f.inquiry);
    if (!seen || f.at < seen.at || (f.at.getTime() === seen.at.getTime() && f.id < seen.id)) first.set(f.inquiry, f);
  }
  for (const f of first.values()) add(f.at, f.source, 0, 1, 0);
  return [...days.entries()]
    .map(([key, d]) => {
      const [date_london, source] = key.split("|");
      return {
        date_london,
        source,
        total_count: d.total,
        converted_count: d.converted,
        revenue: d.revenue,
        no_show_count: d.noShows,
      };
    })
    .sort((a, b) => `${a.date_london}|${a.source}`.localeCompare(`${b.date_london}|${b.source}`));
}
