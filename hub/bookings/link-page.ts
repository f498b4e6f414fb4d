// The booking behind a customer's link /b/{token}, and the answer given on its page (Accept or Decline).
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, resources } from "../../db/schema";
import { HubError } from "../core/errors";
import { acceptBooking, declineBooking, type DecisionDeps } from "./decisions";
import type { BookingRow } from "./lifecycle";
import { hashLinkToken, LINK_TOKEN } from "./link-token";

export interface LinkedBooking {
  booking: BookingRow;
  resourceName: string;
}

/** Undefined when the token is no link's: malformed, replaced by a newer link, or never made. */
export async function bookingByLink(db: Executor, token: string): Promise<LinkedBooking | undefined> {
  if (!LINK_TOKEN.test(token)) return undefined;
  const [row] = await db
    .select({ booking: bookings, resourceName: resources.name })
    .from(bookings)
    .innerJoin(resources, eq(resources.id, bookings.resourceId))
    .where(eq(bookings.linkTokenHash, hashLinkToken(token)));
  return row;
}

/** `unclear`: neither accept nor decline; `refused`: no longer open, with the booking as it is now and why. */
export type LinkAnswer =
  | { kind: "no_link" }
  | { kind: "unclear"; linked: LinkedBooking }
  | { kind: "refused"; linked: LinkedBooking; reason: string }
  | { kind: "answered" };

/** `action`: the page form's field as posted, anything at all. */
export async function answerByLink(deps: DecisionDeps, token: string, action: unknown): Promise<LinkAnswer> {
  const linked = await bookingByLink(deps.db, token);
  if (!linked) return { kind: "no_link" };
  if (action !== "accept" && action !== "decline") return { kind: "unclear", linked };
  try {
    if (action === "accept") await acceptBooking(deps, linked.booking.id, { kind: "customer" });
    else await declineBooking(deps, linked.booking.id, { kind: "customer" });
  } catch (error) {
    if (!(error instanceof HubError) || error.kind !== "conflict") throw error;
    return { kind: "refused", linked: (await bookingByLink(deps.db, token))!, reason: error.message };
  }
  return { kind: "answered" };
}
