// The matching engine: which resources fit an inquiry at its requested time, or the nearest free times that day.
import { and, asc, eq, gte } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { resources } from "../../db/schema";
import { HubError, invalid } from "../core/errors";
import type { InquiryRecord } from "../pipeline";
import { API_YEARS, formatLondonForPeople, isApiInstant } from "../core/time";
import { freeStarts, dayOf, isOpenThroughout, overlaps, takenBetween } from "../bookings";

export interface Match {
  resourceId: string;
  resourceName: string;
  startsAt: Date;
  endsAt: Date;
  score: number;
  reasons: string[];
}

/**
 * Scoring (docs/matching.md): 100, less 1 a 5 minutes away from the time asked for, 20 more for the service, less up to
 * 10 for empty seats.
 */
export const SCORE = { base: 100, minutesPerPoint: 5, serviceBonus: 20, emptySeatsPenalty: 10 } as const;
/** Alternatives offered per resource when the time asked for is taken. */
const ALTERNATIVES = 2;
const MAX_MATCHES = 10;

export interface MatchRequest {
  at?: Date;
  durationMinutes: number;
}

export async function findMatches(db: Executor, inquiry: InquiryRecord, request: MatchRequest): Promise<Match[]> {
  const at = request.at ?? inquiry.requestedStartAt;
  if (!at)
    throw new HubError("invalid", "at: the inquiry has no requested_start_at; give the time to match with ?at=", [
      { field: "at", message: "is required: the inquiry names no time" },
    ]);
  // ?at= is checked as it comes in; the inquiry's own time may have been stored before the API kept to these years,
  // and the day's search window from year 9999 would run past what PostgreSQL stores.
  if (!isApiInstant(at)) {
    const years = `the years ${API_YEARS.first} to ${API_YEARS.last}`;
    throw invalid(
      "at",
      request.at ? `must be in ${years}` : `is needed: the inquiry's requested_start_at lies outside ${years}`,
    );
  }
  const party = inquiry.partySize ?? 1;
  const durationMs = request.durationMinutes * 60_000;
  const wanted = { start: at, end: new Date(at.getTime() + durationMs) };
  const candidates = await db
    .select()
    .from(resources)
    .where(and(eq(resources.status, "active"), gte(resources.capacity, party)))
    .orderBy(asc(resources.name), asc(resources.id));

  const matches: Match[] = [];
  for (const resource of candidates) {
    const fit = fitReasons(resource, inquiry, party);
    const free =
      isOpenThroughout(resource.openingHours, wanted, dayOf(at)) &&
      !(await takenBetween(db, resource.id, wanted)).some((t) => overlaps(t, wanted));
    const starts = free
      ? [at]
      : (await freeStarts(db, resource, dayOf(at), request.durationMinutes))
          .sort(
            (a, b) =>
              Math.abs(a.getTime() - at.getTime()) - Math.abs(b.getTime() - at.getTime()) || a.getTime() - b.getTime(),
          )
          .slice(0, ALTERNATIVES);
    for (const start of starts) {
      const away = Math.round(Math.abs(start.getTime() - at.getTime()) / 60_000);
      const timeReason =
        away === 0
          ? "free at the time asked for"
          : `${formatLondonForPeople(at)} is taken; ${formatLondonForPeople(start)} is the nearest free time (${away} min away)`;
      matches.push({
        resourceId: resource.id,
        resourceName: resource.name,
        startsAt: start,
        endsAt: new Date(start.getTime() + durationMs),
        score: round2(SCORE.base - away / SCORE.minutesPerPoint + fit.points),
        reasons: [timeReason, ...fit.reasons],
      });
    }
  }
  // Deterministic: the same data always gives the same order.
  return matches
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.startsAt.getTime() - b.startsAt.getTime() ||
        a.resourceName.localeCompare(b.resourceName) ||
        a.resourceId.localeCompare(b.resourceId),
    )
    .slice(0, MAX_MATCHES);
}

function fitReasons(
  resource: typeof resources.$inferSelect,
  inquiry: InquiryRecord,
  party: number,
): { points: number; reasons: string[] } {
  const reasons = [`holds ${resource.capacity}; the party is ${inquiry.partySize ?? "not known (taken as 1)"}`];
  let points = -round2((SCORE.emptySeatsPenalty * (resource.capacity - party)) / resource.capacity);
  const service = inquiry.service?.toLowerCase();
  const tag = service
    ? resource.tags.find(
        (t) => service.split(/[^\p{L}\p{N}]+/u).includes(t.toLowerCase()) || service === t.toLowerCase(),
      )
    : undefined;
  if (tag) {
    points += SCORE.serviceBonus;
    reasons.push(`tagged "${tag}", as the service asked for`);
  }
  return { points, reasons };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
