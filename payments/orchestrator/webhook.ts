// A provider's webhook: verified over the raw body first (a forged or stale one stores nothing), checked to be an
// event the hub can read and store (an unreadable one stores nothing either), kept once per provider event id (a
// replay changes nothing), then acted on for the attempt it names.
import { and, eq } from "drizzle-orm";
import { payments, paymentWebhookEvents } from "../../db/schema";
import { lockBooking } from "../../hub/bookings";
import { inTransaction } from "../../hub/core/context";
import { HubError } from "../../hub/core/errors";
import { isUuid } from "../../hub/core/ids";
import { appendEvent } from "../../hub/core/events/outbox";
import { rejectWebhook } from "../../hub/core/webhook-rejections";
import {
  PaymentProviderError,
  WebhookEventError,
  WebhookSignatureError,
  type Headers,
  type VerifiedWebhook,
} from "../provider";
import type { OnlineSlot } from "../registry";
import { eventPayload, isLive, lockPayment, movePayment } from "./attempts";
import { refundFailed, settleRefund } from "./refund";
import type { PaymentDeps } from "./deps";
import { settlePaid } from "./settle";
import { raisePaymentTask } from "./tasks";
import { disarmWatchdog } from "./watchdog";
import { storableEvent } from "./webhook-event";

/** A count per slot since this process started (kept in memory: each process counts its own). */
export type WebhookCounts = Record<OnlineSlot, number>;

/** What the health view shows about webhooks that were not taken. */
export interface WebhookTallies {
  /** Deliveries refused for their signature: a wrong secret, or someone forging them. */
  rejectedSignatures: WebhookCounts;
  /**
   * Signed deliveries that were not processed: unreadable, the provider's API failing while one is read, or any error
   * after the signature held.
   */
  webhookFailures: WebhookCounts;
}

export interface WebhookOutcome {
  /** `duplicate`: this event was taken already; `unknown`: no attempt of ours (ignored, 200 so the provider stops). */
  result: "processed" | "duplicate" | "unknown" | "ignored";
  kind: string;
  paymentId: string | null;
}

export async function receivePaymentWebhook(
  deps: PaymentDeps,
  tallies: WebhookTallies,
  slot: OnlineSlot,
  rawBody: string,
  headers: Headers,
): Promise<WebhookOutcome> {
  const adapter = deps.providers[slot];
  if (!adapter) throw new HubError("not_found", `No ${slot} payment provider is configured here.`);
  try {
    const event = storableEvent(await adapter.verifyWebhook(rawBody, headers));
    const outcome = await takeWebhook(deps, slot, adapter.name, event);
    if (outcome.result === "processed" && (event.kind === "paid" || event.kind === "expired"))
      deps.observe.paymentAttempt(slot, event.kind);
    else if (outcome.result === "processed" && event.kind === "failed") deps.observe.paymentAttempt(slot, "failed");
    return outcome;
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      tallies.rejectedSignatures[slot]++;
      const reason = `The webhook's signature does not verify: ${error.message}`;
      await rejectWebhook(deps, { endpoint: `/webhooks/${slot}`, sender: slot, reason });
      throw new HubError("invalid", reason);
    }
    // The sender is genuine: answering 400 (or 503) rather than 500 says why, and the count shows it in GET /health.
    tallies.webhookFailures[slot]++;
    deps.logger.warn({ err: error, slot, provider: adapter.name }, "payment webhook not processed");
    if (error instanceof WebhookEventError)
      throw new HubError(
        "invalid",
        `The ${adapter.name} webhook is signed but cannot be taken: ${error.message}. Nothing was stored.`,
      );
    if (error instanceof PaymentProviderError)
      throw new HubError(
        "unavailable",
        `${adapter.name} could not be asked about the webhook's payment (${error.message}); nothing was stored, so send it again later.`,
      );
    throw error;
  }
}

async function takeWebhook(
  deps: PaymentDeps,
  slot: OnlineSlot,
  providerName: string,
  event: VerifiedWebhook,
): Promise<WebhookOutcome> {
  const outcome = await inTransaction(deps, async (tx) => {
    const byProvider = event.providerPaymentId
      ? and(eq(payments.provider, slot), eq(payments.providerPaymentId, event.providerPaymentId))
      : undefined;
    const byOwnId =
      event.paymentId && isUuid(event.paymentId)
        ? and(eq(payments.provider, slot), eq(payments.id, event.paymentId))
        : undefined;
    let [attempt] = byProvider ? await tx.select().from(payments).where(byProvider) : [];
    if (!attempt && byOwnId) [attempt] = await tx.select().from(payments).where(byOwnId);
    // The booking first, before any row that points at the payment is written (the event's foreign key takes a
    // share lock on it): every payment change locks in that order, so two webhooks at once queue instead of deadlock.
    if (attempt) await lockBooking(tx, attempt.bookingId);
    const stored = await tx
      .insert(paymentWebhookEvents)
      .values({
        provider: slot,
        providerName,
        eventId: event.eventId,
        eventType: event.type,
        kind: event.kind,
        paymentId: attempt?.id ?? null,
        payload: event.raw as object,
      })
      .onConflictDoNothing()
      .returning({ id: paymentWebhookEvents.id });
    const paymentId = attempt?.id ?? null;
    if (stored.length === 0) return { result: "duplicate", kind: event.kind, paymentId } as const;
    if (!attempt || (attempt.type === "refund") !== (event.kind === "refund"))
      return { result: "unknown", kind: event.kind, paymentId } as const;
    // An attempt whose create call timed out learns its provider id here: a refund or a cancel needs it. So does a
    // refund row whose provider answered by webhook before the hub wrote down the refund's id.
    if (!attempt.providerPaymentId && event.providerPaymentId) {
      await tx.update(payments).set({ providerPaymentId: event.providerPaymentId }).where(eq(payments.id, attempt.id));
    }
    // A refund of the hub's that the event names (Checkout.com's action id, Revolut's refund order, whatever the
    // payment itself now says): that row is settled, and nothing else; a partial refund leaves the payment paid.
    if (event.refundId && attempt.type !== "refund") {
      const pending = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.refundOf, attempt.id), eq(payments.type, "refund"), eq(payments.status, "open")))
        .for("update");
      const named = pending.find((refund) => refund.providerPaymentId === event.refundId);
      if (named) {
        if (event.refundStatus !== "failed") await settleRefund(tx, deps, named, "refunded");
        else
          await refundFailed(
            tx,
            deps,
            await lockBooking(tx, named.bookingId),
            named,
            `${providerName} reported ${event.type}`,
          );
        return { result: "processed", kind: event.kind, paymentId } as const;
      }
      // It may be one whose id the hub has not written yet (the webhook beat the refund call's answer): sent again.
      if (pending.some((refund) => !refund.providerPaymentId))
        throw new HubError("unavailable", `Refund ${event.refundId} is not known here yet; send it again later.`);
    }
    switch (event.kind) {
      case "paid":
        await settlePaid(tx, deps, attempt.id, "webhook", null);
        return { result: "processed", kind: event.kind, paymentId } as const;
      case "failed":
      case "expired": {
        const locked = await lockPayment(tx, attempt.id);
        if (!isLive(locked)) return { result: "ignored", kind: event.kind, paymentId } as const;
        const reason = `${providerName} reported ${event.type}`;
        await appendEvent(tx, {
          type: "payment.attempt_failed",
          aggregateType: "payment",
          aggregateId: locked.id,
          payload: { ...eventPayload(locked), reason, expired: event.kind === "expired" },
        });
        return { result: "processed", kind: event.kind, paymentId } as const;
      }
      case "refunded": {
        // The hub's own refunds of this attempt, pending until now: their rows are done (settling the last of them may
        // refund the attempt itself, so it is read after).
        const pending = await tx
          .select()
          .from(payments)
          .where(and(eq(payments.refundOf, attempt.id), eq(payments.type, "refund"), eq(payments.status, "open")))
          .for("update");
        for (const refund of pending) await settleRefund(tx, deps, refund, "refunded");
        const locked = await lockPayment(tx, attempt.id);
        if (locked.status !== "paid")
          return { result: pending.length > 0 ? "processed" : "ignored", kind: event.kind, paymentId } as const;
        const refunded = await movePayment(
          tx,
          locked,
          "refunded",
          { actorId: null, action: "payment.refunded", reason: `${providerName} reported ${event.type}` },
          { refundedAt: deps.now() },
        );
        // Refunded at the provider, not by the hub: whether the booking stands is a person's call.
        const booking = await lockBooking(tx, locked.bookingId);
        await raisePaymentTask(tx, "refunded", booking, refunded, deps.now(), {
          reason: `${providerName} reported ${event.type}`,
        });
        return { result: "processed", kind: event.kind, paymentId } as const;
      }
      case "refund": {
        const refund = await lockPayment(tx, attempt.id);
        if (refund.status !== "open" || !event.refundStatus)
          return { result: "ignored", kind: event.kind, paymentId } as const;
        const reason = `${providerName} reported ${event.type}`;
        if (event.refundStatus === "succeeded") await settleRefund(tx, deps, refund, "refunded");
        else await refundFailed(tx, deps, await lockBooking(tx, refund.bookingId), refund, reason);
        return { result: "processed", kind: event.kind, paymentId } as const;
      }
      default:
        return { result: "ignored", kind: event.kind, paymentId } as const;
    }
  });
  // The webhook came: the watchdog has nothing left to watch (one that still fires finds the attempt closed).
  if (outcome.paymentId && outcome.result === "processed")
    await disarmWatchdog(deps.jobs, outcome.paymentId).catch(() => false);
  return outcome;
}
