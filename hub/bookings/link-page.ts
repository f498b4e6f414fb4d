// The booking behind a customer's link /b/{token}, and the answer given on its page: Accept or Decline an offer, or
// cancel a booking (asked once more, saying what the cancellation policy does with the deposit).
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { bookings, resources } from "../../db/schema";
import { HubError } from "../core/errors";
import { type CancelDeps, cancelUnderPolicy, policyRefund } from "./cancellation";
import { acceptBooking, declineBooking } from "./decisions";
import { type BookingRow, bookingReference } from "./lifecycle";
import { formatMoney } from "./money";
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

/**
 * `unclear`: no action the page knows; `refused`: not possible now, with the booking as it is now and why;
 * `confirm_cancel`: the customer asked to cancel, and is asked once more with what happens to the deposit.
 */
export type LinkAnswer =
  | { kind: "no_link" }
  | { kind: "unclear"; linked: LinkedBooking }
  | { kind: "refused"; linked: LinkedBooking; reason: string }
  | { kind: "confirm_cancel"; linked: LinkedBooking; question: string }
  | { kind: "answered" };

export const LINK_ACTIONS = ["accept", "decline", "cancel", "cancel_confirm"] as const;
type LinkAction = (typeof LINK_ACTIONS)[number];
const isLinkAction = (value: unknown): value is LinkAction => (LINK_ACTIONS as readonly unknown[]).includes(value);

/** A booking its customer may still cancel on the page: accepted, not yet begun. */
export const cancellableByCustomer = (booking: BookingRow, now: Date) =>
  (booking.status === "awaiting_deposit" || booking.status === "confirmed") &&
  booking.startsAt.getTime() > now.getTime();

/** `action`: the page form's field as posted, anything at all. */
export async function answerByLink(deps: CancelDeps, token: string, action: unknown): Promise<LinkAnswer> {
  const linked = await bookingByLink(deps.db, token);
  if (!linked) return { kind: "no_link" };
  if (!isLinkAction(action)) return { kind: "unclear", linked };
  try {
    if (action === "cancel" || action === "cancel_confirm") {
      if (!cancellableByCustomer(linked.booking, deps.now()))
        throw new HubError("conflict", "This booking can no longer be cancelled here: write to us.");
      if (action === "cancel")
        return { kind: "confirm_cancel", linked, question: cancelQuestion(deps, linked.booking) };
      await cancelUnderPolicy(deps, linked.booking.id, { by: { kind: "customer" } });
    } else if (action === "accept") await acceptBooking(deps, linked.booking.id, { kind: "customer" });
    else await declineBooking(deps, linked.booking.id, { kind: "customer" });
  } catch (error) {
    if (!(error instanceof HubError) || error.kind !== "conflict") throw error;
    return { kind: "refused", linked: (await bookingByLink(deps.db, token))!, reason: error.message };
  }
  return { kind: "answered" };
}

/** What cancelling now does with the deposit, said before the customer confirms. */
function cancelQuestion(deps: CancelDeps, booking: BookingRow): string {
  const reference = bookingReference(booking.number);
  if (booking.status !== "confirmed" || booking.depositAmount === 0) return `Cancel ${reference}?`;
  const money = formatMoney(booking.depositAmount, booking.currency);
  return policyRefund(booking, deps.now(), deps.policy) === "full"
    ? `Cancel ${reference}? Your deposit of ${money} will be refunded in full.`
    : `Cancel ${reference}? It starts in less than ${deps.policy.fullRefundHours} hours, so as our cancellation policy says, the deposit of ${money} is kept.`;
}
