// What a paid deposit sets going here: a partner lead's commission and signed notification. (The day's conversions
// and revenue are hub/metrics' own subscribers.)
import { eq } from "drizzle-orm";
import type { Logger } from "pino";
import type { Database } from "../../db/client";
import { partnerCommissions, partners } from "../../db/schema";
import { notifyPartnersOfPayment } from "../../channels/partner";
import type { Subscriber } from "../../hub/core/events/bus";

/**
 * commission_percent of the deposit, rounded half up to a whole minor unit: integer arithmetic on hundredths of a
 * percent.
 */
export function commissionOf(amount: number, percent: string): number {
  const [whole = "0", fraction = ""] = percent.split(".");
  const basisPoints = Number(whole) * 100 + Number(fraction.padEnd(2, "0").slice(0, 2));
  return Math.floor((amount * basisPoints + 5000) / 10_000);
}

export const recordCommission: Subscriber<"payment.paid"> = {
  name: "partners.record_commission",
  type: "payment.paid",
  wants: (event) => Boolean(event.payload.partner_code),
  async handle(event, tx) {
    const [partner] = await tx
      .select({ percent: partners.commissionPercent })
      .from(partners)
      .where(eq(partners.code, event.payload.partner_code!));
    if (!partner) return;
    await tx
      .insert(partnerCommissions)
      .values({
        partnerCode: event.payload.partner_code!,
        inquiryId: event.payload.inquiry_id,
        paymentId: event.payload.payment_id,
        percent: partner.percent,
        amount: commissionOf(event.payload.amount, partner.percent),
        currency: event.payload.currency,
      })
      .onConflictDoNothing();
  },
};

export function onPaidSubscribers(deps: { db: Database; logger: Logger; now: () => Date }) {
  return [recordCommission, notifyPartnersOfPayment(deps)] as const;
}
