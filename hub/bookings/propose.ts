// Offering a held booking to its customer: in their chat with Accept and Decline, or as a booking link without one.
import { eq, sql } from "drizzle-orm";
import { bookings, inquiries, resources, type MessageAction } from "../../db/schema";
import { recordAudit } from "../core/audit/record";
import { isChatSource, queueMessage } from "../conversations";
import { inTransaction, type HubContext } from "../core/context";
import { HubError } from "../core/errors";
import { appendEvent } from "../core/events/outbox";
import { UUID_PATTERN } from "../core/ids";
import { formatLondonForPeople } from "../core/time";
import { bookingReference, lockBooking, payloadOf, type BookingRow } from "./lifecycle";
import { hashLinkToken, newLinkToken } from "./link-token";
import { formatMoney } from "./money";

export type ProposeDeps = Pick<HubContext, "db" | "now" | "wake"> & {
  /** Where customers reach the hub: PUBLIC_URL, else the address it listens on (hub/http/public-address.ts). */
  publicUrl: string;
};

export interface Proposal {
  booking: BookingRow;
  via: "telegram" | "whatsapp" | "link";
  /** The outbound message with the buttons, for a chat lead. */
  messageId?: string;
  /** The booking link, for a lead without a chat; shown once (only its hash is kept). */
  bookingUrl?: string;
}

/** Callback data of the buttons: what Telegram and WhatsApp hand back when one is tapped (Telegram allows 64 bytes). */
export const bookingAction = (choice: "accept" | "decline", bookingId: string) => `booking:${choice}:${bookingId}`;
export const BOOKING_ACTION = new RegExp(`^booking:(accept|decline):(${UUID_PATTERN})$`);

export const proposalActions = (bookingId: string): MessageAction[] => [
  { id: bookingAction("accept", bookingId), title: "Accept", word: "YES" },
  { id: bookingAction("decline", bookingId), title: "Decline", word: "NO" },
];

export async function proposeBooking(deps: ProposeDeps, bookingId: string, actorId: string): Promise<Proposal> {
  return inTransaction(deps, async (tx) => {
    const booking = await lockBooking(tx, bookingId);
    const reference = bookingReference(booking.number);
    if (booking.status !== "held")
      throw new HubError("conflict", `${reference} is ${booking.status}; only a held booking can be proposed.`);
    const [[inquiry], [resource]] = await Promise.all([
      tx.select().from(inquiries).where(eq(inquiries.id, booking.inquiryId)),
      tx.select().from(resources).where(eq(resources.id, booking.resourceId)),
    ]);
    const now = deps.now();
    let token: string | undefined;
    if (!isChatSource(inquiry!.source) || !inquiry!.externalChatId) token = newLinkToken();
    const [proposed] = await tx
      .update(bookings)
      .set({ proposedAt: now, ...(token ? { linkTokenHash: hashLinkToken(token) } : {}), updatedAt: sql`now()` })
      .where(eq(bookings.id, booking.id))
      .returning();
    const via = token ? "link" : (inquiry!.source as "telegram" | "whatsapp");
    let messageId: string | undefined;
    if (!token) {
      messageId = await queueMessage(tx, {
        inquiryId: inquiry!.id,
        source: inquiry!.source,
        chatId: inquiry!.externalChatId!,
        template: "booking.proposal",
        values: proposalValues(proposed!, resource!.name),
        actions: proposalActions(booking.id),
      });
    }
    await recordAudit(tx, {
      actorId,
      action: "booking.proposed",
      entityType: "booking",
      entityId: booking.id,
      after: { via, proposed_at: now.toISOString() },
    });
    await appendEvent(tx, {
      type: "booking.proposed",
      aggregateType: "booking",
      aggregateId: booking.id,
      payload: { ...(await payloadOf(tx, proposed!, "held")), via },
    });
    return {
      booking: proposed!,
      via,
      messageId,
      bookingUrl: token ? `${deps.publicUrl.replace(/\/$/, "")}/b/${token}` : undefined,
    } satisfies Proposal;
  });
}

export function proposalValues(booking: BookingRow, resourceName: string): Record<string, string> {
  const minutes = Math.round((booking.endsAt.getTime() - booking.startsAt.getTime()) / 60_000);
  return {
    resource: resourceName,
    when: `${formatLondonForPeople(booking.startsAt)}, ${minutes >= 60 ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ""}` : `${minutes} min`}`,
    party: booking.partySize ? `${booking.partySize} ${booking.partySize === 1 ? "person" : "people"}` : "your party",
    deposit:
      booking.depositAmount > 0
        ? `A deposit of ${formatMoney(booking.depositAmount, booking.currency)} secures it.`
        : "No deposit is needed.",
    reference: bookingReference(booking.number),
    hold_until: booking.holdExpiresAt ? formatLondonForPeople(booking.holdExpiresAt) : "we confirm",
  };
}
