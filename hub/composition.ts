// The composition root: builds every service once and wires them together. Tests inject fakes here, nowhere else.
import type { Logger } from "pino";
import { openDatabase, type DatabaseHandle } from "../db/client";
import { join } from "node:path";
import type { Env, HubRole } from "./env";
import { ApiKeyAuthenticator } from "./auth/authenticator";
import { ensureBootstrapAdmin } from "./auth/users";
import { EventBus } from "./core/events/bus";
import { OutboxRelay, type OutboxRelayOptions } from "./core/events/relay";
import { createApp } from "./http/app";
import { PublicAddress } from "./http/public-address";
import { BullMqJobDriver } from "./core/jobs/bullmq";
import { InProcessJobDriver, type InProcessDriverOptions } from "./core/jobs/in-process";
import { TimerKeeper } from "./core/jobs/timer-keeper";
import type { JobDriver } from "./core/jobs/driver";
import { subscribeMetrics } from "./metrics";
import { createHubMetrics } from "./prometheus";
import { createChannels } from "../channels";
import type { OutsideServices } from "../channels/deps";
import { notifyPartnersOfBooking, notifyPartnersOfStatus } from "../channels/partner";
import { acknowledgeInquiry, deliverMessages } from "./conversations";
import type { HubContext } from "./core/context";
import type { AppContext } from "./http/context";
import { BOOKINGS_QUEUE, PRIVACY_QUEUE, SLA_QUEUE } from "./core/jobs/queues";
import { rearmRetention, retentionHandler } from "./clients";
import {
  armCompletionTimer,
  armHoldTimer,
  bookingTimersHandler,
  disarmCompletionTimer,
  disarmHoldTimer,
  rearmCompletionTimers,
  rearmHoldTimers,
  armReminderTimers,
  disarmReminderTimers,
  rearmReminderTimers,
  reminderOffsets,
} from "./bookings";
import {
  slaTimerHandler,
  rearmSlaTimers,
  armDeadlineTimer,
  armEscalationTimer,
  disarmTimers,
  type SlaTimerDeps,
} from "./sla";
import {
  deliverStaffNotices,
  notifyBreach,
  notifyCustomerCancellation,
  notifyEscalation,
  notifyNewInquiry,
  relayCustomerMessage,
} from "./staff";
import { createPayments, createPaymentProviders, type PaymentProviders } from "../payments";

export interface HubOptions {
  env: Env;
  logger: Logger;
  /** An open database; by default one is opened from env (DATABASE_URL, else PGlite in HUB_DATA_DIR). */
  database?: DatabaseHandle;
  adminApiKey: string;
  now?: () => Date;
  /**
   * What this process runs besides being able to serve HTTP: every role runs the outbox relay (it publishes right
   * after this process's commits); `all` and `worker` also take jobs. Default: env.HUB_ROLE.
   */
  role?: HubRole;
  /** Options for the in-process driver (used when REDIS_URL is not set). */
  jobOptions?: InProcessDriverOptions;
  relayOptions?: OutboxRelayOptions;
  /** Fakes for outside services the channels talk to (tests). */
  outside?: OutsideServices;
  /** Payment providers other than those env configures (tests: a provider whose API never answers). */
  paymentProviders?: PaymentProviders;
}

export type Hub = Awaited<ReturnType<typeof createHub>>;

export async function createHub(options: HubOptions) {
  const { env, logger } = options;
  const database =
    options.database ??
    (await openDatabase(
      env.DATABASE_URL
        ? { driver: "postgres", url: env.DATABASE_URL, maxConnections: env.DATABASE_POOL_SIZE }
        : { driver: "pglite", dataDir: join(env.HUB_DATA_DIR, "pglite") },
    ));
  const db = database.db;
  let migrated = false;

  // Redis when configured (many processes share the queues), else the database-backed driver of the embedded default.
  const jobs: JobDriver = env.REDIS_URL
    ? new BullMqJobDriver(env.REDIS_URL, logger.child({ part: "jobs" }), {
        prefix: env.REDIS_PREFIX,
        claimMs: env.JOB_CLAIM_SECONDS * 1000,
      })
    : new InProcessJobDriver(db, logger.child({ part: "jobs" }), {
        lockMs: env.JOB_CLAIM_SECONDS * 1000,
        ...options.jobOptions,
      });
  // A relay's claim on a batch is a lease like a job's: a relay that died leaves its batch to another this long after.
  const relay = new OutboxRelay(db, jobs, logger.child({ part: "outbox" }), {
    claimMs: env.JOB_CLAIM_SECONDS * 1000,
    ...options.relayOptions,
  });
  // The one context every service takes its part of; `wake` publishes a commit's events at once (inTransaction).
  const clock = options.now ?? (() => new Date());
  // GET /metrics: this hub's own registry; the domains count through its observer.
  const metrics = createHubMetrics({ db, jobs, now: clock });
  const core: HubContext = {
    db,
    now: clock,
    jobs,
    logger,
    wake: () => relay.wake(),
    observe: metrics.observer,
  };
  const { now } = core;
  // A subscriber's commit may write events too (a queued reply): the relay publishes them at once.
  const bus = new EventBus(db, logger.child({ part: "events" }), core.wake);
  const auth = new ApiKeyAuthenticator(db);
  // The cancellation policy, the same for a customer cancelling in their chat or on their page and for staff.
  const cancellation = { fullRefundHours: env.CANCELLATION_FULL_REFUND_HOURS };
  const channels = createChannels({
    ...core,
    logger: logger.child({ part: "channels" }),
    env,
    auth,
    outside: options.outside,
    // A customer's "Cancel" in their chat cancels under the policy (CANCELLATION_FULL_REFUND_HOURS).
    policy: cancellation,
  });
  subscribeMetrics(bus);
  bus.subscribe(acknowledgeInquiry);
  bus.subscribe(deliverMessages(db, channels, now, core.observe));
  bus.subscribe(notifyPartnersOfStatus({ db, logger: logger.child({ part: "partners" }), now }));
  for (const type of ["booking.proposed", "booking.confirmed"] as const) {
    bus.subscribe(notifyPartnersOfBooking({ db, logger: logger.child({ part: "partners" }), now }, type));
  }
  // SLA: a timer per inquiry at its deadline, then one for the escalation; the first response disarms both.
  const slaTimers: SlaTimerDeps = { ...core, escalateAfterMs: env.SLA_ESCALATE_AFTER_MINUTES * 60_000 };
  bus.subscribe(armDeadlineTimer(slaTimers));
  bus.subscribe(armEscalationTimer(slaTimers));
  bus.subscribe(disarmTimers(slaTimers));
  // Staff hear of inquiries in Telegram: new ones, customers' next messages, breaches; managers, escalations.
  const staffNotices = { telegramConnected: () => channels.telegram.status().connected };
  bus.subscribe(notifyNewInquiry(staffNotices));
  bus.subscribe(relayCustomerMessage(staffNotices));
  bus.subscribe(notifyBreach(staffNotices));
  bus.subscribe(notifyEscalation(staffNotices));
  bus.subscribe(notifyCustomerCancellation(staffNotices));
  bus.subscribe(deliverStaffNotices(db, channels.telegram));

  const role = options.role ?? env.HUB_ROLE;
  // One address for every link customers are sent (booking, pay, a provider's return page); main.ts gives it the port.
  const publicAddress = new PublicAddress(env);
  const bookingSettings = {
    holdMs: env.BOOKING_HOLD_MINUTES * 60_000,
    publicAddress,
    cancellation,
  };
  bus.subscribe(armHoldTimer(db, jobs, now));
  for (const type of ["booking.awaiting_deposit", "booking.confirmed", "booking.cancelled"] as const)
    bus.subscribe(disarmHoldTimer(jobs, type));
  // A confirmed booking is completed at its end, unless it moved on first (a no-show, a cancellation).
  bus.subscribe(armCompletionTimer(db, jobs, now));
  for (const type of ["booking.no_show", "booking.cancelled", "booking.expired"] as const)
    bus.subscribe(disarmCompletionTimer(jobs, type));
  // Reminders in the customer's chat BOOKING_REMINDER_HOURS before the start, until the booking ends.
  const reminders = {
    minutesBefore: reminderOffsets(env.BOOKING_REMINDER_HOURS),
    address: env.BUSINESS_ADDRESS,
  };
  bus.subscribe(armReminderTimers(db, jobs, now, reminders));
  for (const type of ["booking.cancelled", "booking.no_show", "booking.expired", "booking.completed"] as const)
    bus.subscribe(disarmReminderTimers(jobs, reminders, type));
  // Payments: Stripe, the secondary, manual (rule 6); the customer's one link is /pay/{token} on the public address.
  const payments = createPayments({
    ...core,
    logger: logger.child({ part: "payments" }),
    providers: options.paymentProviders ?? createPaymentProviders(env, `${publicAddress.url}/pay/done`, now),
    timeoutMs: env.PAYMENT_PROVIDER_TIMEOUT_MS,
    webhookTimeoutMs: env.PAYMENT_WEBHOOK_TIMEOUT_MINUTES * 60_000,
    linkMs: env.PAYMENT_LINK_MINUTES * 60_000,
    // Read when a link is made: with PORT=0 the port is known only once the server listens.
    get publicUrl() {
      return publicAddress.url;
    },
    manualInstructions: env.MANUAL_PAYMENT_INSTRUCTIONS,
    telegramConnected: () => channels.telegram.status().connected,
  });
  payments.subscribe(bus);
  // Every timer's due time is in the database: what the queue lost is armed again at start, on a loss, on a sweep.
  const timers = new TimerKeeper(
    jobs,
    [
      () => rearmSlaTimers(db, slaTimers),
      async () => ({ holds: await rearmHoldTimers(db, jobs, now) }),
      async () => ({ completions: await rearmCompletionTimers(db, jobs, now) }),
      async () => ({ reminders: await rearmReminderTimers(db, jobs, now, reminders) }),
      async () => ({ watchdogs: await payments.rearmWatchdogs() }),
      // UK GDPR: the daily run that erases clients idle for RETENTION_MONTHS.
      async () => ({ retention: await rearmRetention(jobs, now) }),
    ],
    logger.child({ part: "timers" }),
    { sweepMs: env.TIMER_SWEEP_SECONDS * 1000 },
  );
  const context: AppContext = { ...core, settings: env, channels, payments };
  const app = createApp({
    ...context,
    database,
    auth,
    bookings: bookingSettings,
    isMigrated: () => migrated,
    metrics: metrics.exposition,
  });

  return {
    app,
    database,
    db,
    jobs,
    relay,
    bus,
    channels,
    context,
    payments,
    publicAddress,
    /** Migrates, makes sure the first admin exists, then starts the relay and workers. */
    async start() {
      await database.migrate();
      migrated = true;
      await ensureBootstrapAdmin(db, options.adminApiKey);
      for (const warning of await jobs.warnings()) logger.warn({ part: "jobs" }, warning);
      if (role !== "api") {
        bus.listen(jobs, env.EVENT_CONCURRENCY);
        jobs.process(SLA_QUEUE, slaTimerHandler(core));
        jobs.process(BOOKINGS_QUEUE, bookingTimersHandler({ ...core, reminders }));
        payments.work(jobs);
        jobs.process(PRIVACY_QUEUE, retentionHandler({ ...core, retentionMonths: env.RETENTION_MONTHS }));
        await timers.start();
      }
      relay.start();
      // Long polling and the WhatsApp Web client take updates for the HTTP side; a worker process runs neither.
      if (role !== "worker") for (const channel of Object.values(channels)) await channel.start?.();
    },
    /** Stops taking work, lets jobs in flight finish, then closes the database. */
    async stop() {
      if (role !== "worker") for (const channel of Object.values(channels)) await channel.stop?.();
      await timers.stop();
      await relay.stop();
      await jobs.close();
      await database.close();
    },
  };
}
