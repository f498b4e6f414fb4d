// An attempt's first step: ask its provider for a checkout page (a call slower than PAYMENT_PROVIDER_TIMEOUT_MS or
// an API error fails it over at once), arm its watchdog, and tell the customer. A manual attempt opens with the
// bank-transfer instructions, a task and a notice to staff.
import { eq } from "drizzle-orm";
import { bookings, payments } from "../../db/schema";
import { bookingReference, lockBooking } from "../../hub/bookings";
import type { Subscriber } from "../../hub/core/events/bus";
import { appendEvent } from "../../hub/core/events/outbox";
import type { CreatedLink } from "../provider";
import { adapterFor } from "../registry";
import { eventPayload, lockPayment, minorAmount, movePayment } from "./attempts";
import { callProvider, failureOf, type CallFailure } from "./calls";
import type { PaymentDeps } from "./deps";
import { failOver } from "./fail-over";
import { noticeStaffOfPayment } from "./staff";
import { raisePaymentTask } from "./tasks";
import { tellCustomer } from "./tell-customer";
import { armWatchdog, watchdogDueAt } from "./watchdog";

/** `instructions`: an adapter with no checkout page (a bank transfer) opens with what to do instead. */
type Opened = { skip: true } | { instructions: true } | { failure: CallFailure } | { link: CreatedLink };

export function openAttempt(deps: PaymentDeps): Subscriber<"payment.attempt_created", Opened> {
  return {
    name: "payments.open_attempt",
    type: "payment.attempt_created",
    async perform(event) {
      const [row] = await deps.db.select().from(payments).where(eq(payments.id, event.payload.payment_id));
      if (row?.status !== "creating") return { skip: true };
      const adapter = adapterFor(deps.providers, row.provider);
      if (!adapter) return { failure: { message: `${row.provider} is not configured any more`, kind: null } };
      if (!adapter.capabilities.checkoutPage) {
        deps.observe.paymentAttempt(row.provider, "opened");
        return { instructions: true };
      }
      const [booking] = await deps.db.select().from(bookings).where(eq(bookings.id, row.bookingId));
      try {
        const link = await callProvider(deps, row.provider, "create", () =>
          adapter.createLink({
            paymentId: row.id,
            bookingId: row.bookingId,
            amount: minorAmount(row),
            currency: row.currency,
            description: `Deposit for ${bookingReference(booking!.number)}`,
            // From the attempt's own creation, so a retried create asks for the very same page.
            expiresAt: new Date(row.createdAt.getTime() + deps.linkMs),
            idempotencyKey: `payment-${row.id}`,
          }),
        );
        await armWatchdog(deps.jobs, row.id, watchdogDueAt(deps, row), deps.now());
        deps.observe.paymentAttempt(row.provider, "opened");
        return { link };
      } catch (error) {
        deps.observe.paymentAttempt(row.provider, "failed");
        return { failure: failureOf(error) };
      }
    },
    async handle(event, tx, opened) {
      if ("skip" in opened) return;
      const booking = await lockBooking(tx, event.payload.booking_id);
      let attempt = await lockPayment(tx, event.payload.payment_id);
      if (attempt.status === "creating" && booking.status !== "awaiting_deposit") {
        attempt = await movePayment(tx, attempt, "cancelled", {
          actorId: null,
          action: "payment.cancelled",
          reason: `superseded: the booking is ${booking.status}`,
        });
      }
      if (attempt.status !== "creating") {
        // Closed meanwhile (the booking cancelled, a watchdog that switched first): a page made since is closed at its
        // provider too, and keeps its id so that a late webhook still finds the attempt.
        if ("link" in opened && !attempt.providerPaymentId && attempt.status !== "paid") {
          const [withId] = await tx
            .update(payments)
            .set({ providerPaymentId: opened.link.providerPaymentId })
            .where(eq(payments.id, attempt.id))
            .returning();
          await appendEvent(tx, {
            type: "payment.superseded",
            aggregateType: "payment",
            aggregateId: attempt.id,
            payload: eventPayload(withId!),
          });
        }
        return;
      }
      const now = deps.now();
      if ("failure" in opened) {
        await failOver(tx, deps, booking, attempt, {
          status: "failed",
          reason: `${attempt.providerName} could not make a checkout page: ${opened.failure.message}`,
          actorId: null,
        });
        return;
      }
      if ("instructions" in opened) {
        const open = await movePayment(tx, attempt, "open", { actorId: null, action: "payment.opened" });
        await raisePaymentTask(tx, "manual", booking, open, now);
        await noticeStaffOfPayment(tx, deps, booking, open, "manual_payment_required");
        await tellCustomer(tx, deps, booking, open, "payment.manual");
        return;
      }
      const open = await movePayment(
        tx,
        attempt,
        "open",
        { actorId: null, action: "payment.opened" },
        {
          providerPaymentId: opened.link.providerPaymentId,
          checkoutUrl: opened.link.url,
          expiresAt: opened.link.expiresAt,
          raw: (opened.link.raw ?? null) as never,
        },
      );
      if (open.isFallback) await noticeStaffOfPayment(tx, deps, booking, open, "payment_switched");
      await tellCustomer(tx, deps, booking, open, open.isFallback ? "payment.switched" : "payment.link");
    },
  };
}
