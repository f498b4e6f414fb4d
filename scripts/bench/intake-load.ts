// What the two intake scenarios (all in one process, and the API role) share: the load's shape and its target.
import { type LoadResult, runLoad } from "./children";

export const CONNECTIONS = 32;
export const WARM_UP_SECONDS = 2;
export const TARGET_RATIO = 0.5;
/** Lead numbers per phase, so that no two phases post the same chat or message (lead.ts stops at 100,000,000). */
const PHASE_SPAN = 10_000_000;

/** POST /inquiries at 32 connections for `secs`; each call a new phase, with leads no other phase posted. */
export function phasedIntakeLoad(): (
  url: string,
  headers: Record<string, string>,
  secs: number,
) => Promise<LoadResult> {
  let phase = 0;
  return (url, headers, secs) =>
    runLoad({ url: `${url}/inquiries`, connections: CONNECTIONS, seconds: secs, headers, first: ++phase * PHASE_SPAN });
}
