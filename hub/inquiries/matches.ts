// The matching engine's suggestions for the inquiry a request names: GET /inquiries/{id}/matches.
import type { Executor } from "../../db/client";
import { findMatches, type Match, type MatchRequest } from "../matching";
import { getInquiry } from "./find";

/** The inquiry named by id or reference (not_found when none); the matches best first. */
export async function matchesFor(db: Executor, idOrReference: string, request: MatchRequest): Promise<Match[]> {
  return findMatches(db, await getInquiry(db, idOrReference), request);
}
