// Payment messages in the customer's own chat: the link, the switch to the backup, the manual instructions, the
// confirmation. A lead without a chat gets none: its booking page /b/{token} shows the same link.
import { eq } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { resources } from "../../db/schema";
import { bookingReference, type BookingRow, formatMoney } from "../../hub/bookings";
import { tellCustomer as tellInChat } from "../../hub/conversations";
import { formatLondonForPeople } from "../../hub/core/time";
import { minorAmount, type PaymentRow } from "./attempts";
import { payLinkOf, type PaymentDeps } from "./deps";

type Tell = "payment.link" | "payment.switched" | "payment.manual" | "payment.confirmed";

/** The instructions with the booking's reference and the amount filled in. */
export const manualInstructionsFor = (
  deps: Pick<PaymentDeps, "manualInstructions">,
  booking: BookingRow,
  attempt: PaymentRow,
) =>
  deps.manualInstructions
    .replaceAll("{{reference}}", bookingReference(booking.number))
    .replaceAll("{{amount}}", formatMoney(minorAmount(attempt), attempt.currency));

export async function tellCustomer(
  tx: Executor,
  deps: Pick<PaymentDeps, "publicUrl" | "manualInstructions" | "webhookTimeoutMs">,
  booking: BookingRow,
  attempt: PaymentRow,
  template: Tell,
): Promise<void> {
  const payToken = booking.payToken;
  if (!payToken) return;
  await tellInChat(tx, booking.inquiryId, async () => {
    const url = payLinkOf(deps, payToken);
    const amount = formatMoney(minorAmount(attempt), attempt.currency);
    const reference = bookingReference(booking.number);
    // "Pay by": when the hub moves on (the watchdog), or the page's own end if that comes first. The link itself
    // keeps working after it, on whatever attempt is live then.
    const payBy = Math.min(
      attempt.expiresAt?.getTime() ?? Infinity,
      attempt.createdAt.getTime() + deps.webhookTimeoutMs,
    );
    const expires = Number.isFinite(payBy) ? formatLondonForPeople(new Date(payBy)) : "";
    let values: Record<string, string> = { reference, amount, url, expires };
    if (template === "payment.manual")
      values = { reference, amount, url, instructions: manualInstructionsFor(deps, booking, attempt) };
    if (template === "payment.confirmed") {
      const [resource] = await tx
        .select({ name: resources.name })
        .from(resources)
        .where(eq(resources.id, booking.resourceId));
      values = { reference, amount, resource: resource?.name ?? "", when: formatLondonForPeople(booking.startsAt) };
    }
    const payButton = template === "payment.link" || template === "payment.switched";
    return {
      template,
      values,
      ...(payButton ? { actions: [{ id: `pay:${booking.id}`, title: `Pay ${amount}`, word: "PAY", url }] } : {}),
    };
  });
}
