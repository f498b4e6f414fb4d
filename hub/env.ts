// Configuration: the only reader of process.env. Every bad setting is reported at once.
import { resolve } from "node:path";
import { z } from "zod";
import { APP_TIME_ZONE, isAppTimeZone } from "./core/time";

export const HUB_ROLES = ["all", "api", "worker"] as const;
export type HubRole = (typeof HUB_ROLES)[number];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

// An empty variable (`FOO=` in a .env file) means "not set", as most tools read it.
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

// The health thresholds' shapes: a share from 0 to 1, and positive amounts of time or counts (decimals allowed for time).
const share = () => z.coerce.number({ error: "must be a number from 0 to 1" }).min(0).max(1);
const minutes = () =>
  z.coerce.number({ error: "must be a number of minutes" }).positive("must be more than 0").max(10_080);
const seconds = () =>
  z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0").max(86_400);
const count = () => z.coerce.number({ error: "must be a whole number" }).int().min(1).max(1_000_000);

const EnvSchema = z.object({
  PORT: optional(
    z.coerce.number({ error: "must be a port number from 0 to 65535" }).int().min(0).max(65_535),
  ).transform((v) => v ?? 3000),
  HOST: optional(z.string()).transform((v) => v ?? "127.0.0.1"),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// connection URL"),
  ),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")),
  REDIS_PREFIX: optional(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, '-' or '_'"),
  ).transform((v) => v ?? "hub"),
  // Absolute from here on: PGlite does not resolve a relative data folder against the working directory.
  HUB_DATA_DIR: optional(z.string()).transform((v) => resolve(v ?? "./data")),
  ADMIN_API_KEY: optional(
    z.string().min(24, "must be at least 24 characters; generate one with `openssl rand -hex 32`"),
  ),
  APP_TIMEZONE: optional(
    z.string().refine(isAppTimeZone, `must be ${APP_TIME_ZONE}: the hub keeps every date in London time`),
  ),
  // all: API and workers in one process (npm start); api: HTTP and the outbox relay; worker: relay and job workers.
  HUB_ROLE: optional(z.enum(HUB_ROLES, { error: `must be one of ${HUB_ROLES.join(", ")}` })).transform(
    (v) => v ?? "all",
  ),
  LOG_LEVEL: optional(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` })).transform(
    (v) => v ?? "info",
  ),

  // SLA (hub/sla): how long a breach may stay unanswered before the managers are told. Decimals allowed.
  SLA_ESCALATE_AFTER_MINUTES: optional(
    z.coerce.number({ error: "must be a number of minutes" }).positive("must be more than 0").max(10_080),
  ).transform((v) => v ?? 30),
  // Timers (hub/core/jobs/timer-keeper.ts): how often every SLA, hold and watchdog timer missing from the queue is armed
  // again from the database, besides at start and when the queue says it lost its jobs. Decimals allowed.
  TIMER_SWEEP_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0").max(86_400),
  ).transform((v) => v ?? 30),
  // UK GDPR (hub/clients): a client with no inquiry, message or booking for this many months is erased by the daily
  // retention run (03:00 London time).
  RETENTION_MONTHS: optional(
    z.coerce
      .number({ error: "must be a whole number of months" })
      .int("must be a whole number of months")
      .min(1)
      .max(1200),
  ).transform((v) => v ?? 24),
  // Jobs (hub/core/jobs): how long a worker's claim on a running job lasts without renewal. A live worker renews it
  // while the job runs; a job whose worker died is run again by another this long after (up to twice this on Redis,
  // where the check for stalled jobs runs on the same period). The outbox relay's claim on a batch of events lasts as
  // long: a batch claimed by a relay that died is published by another this long after.
  // How many events one process handles at once (each subscriber's work is a few round trips to the database, so
  // more in flight drains a backlog faster), and how many PostgreSQL connections it may open: the handlers and the
  // requests share them.
  EVENT_CONCURRENCY: optional(
    z.coerce.number({ error: "must be a whole number" }).int().min(1, "must be at least 1").max(256),
  ).transform((v) => v ?? 16),
  DATABASE_POOL_SIZE: optional(
    z.coerce.number({ error: "must be a whole number" }).int().min(2, "must be at least 2").max(1000),
  ).transform((v) => v ?? 20),
  JOB_CLAIM_SECONDS: optional(
    z.coerce.number({ error: "must be a number of seconds" }).min(3, "must be at least 3").max(3600),
  ).transform((v) => v ?? 30),

  // Bookings (hub/bookings): how long a held slot waits for the customer's answer. Decimals allowed.
  BOOKING_HOLD_MINUTES: optional(
    z.coerce.number({ error: "must be a number of minutes" }).positive("must be more than 0").max(10_080),
  ).transform((v) => v ?? 30),
  // The cancellation policy (hub/bookings/cancellation.ts): a confirmed booking cancelled at least this many hours
  // before its start has its paid deposit refunded in full; later, the deposit is kept. Decimals allowed.
  CANCELLATION_FULL_REFUND_HOURS: optional(
    z.coerce.number({ error: "must be a number of hours" }).min(0, "must be 0 or more").max(8_760),
  ).transform((v) => v ?? 48),
  // Reminders (hub/bookings/reminder-timer.ts): how many hours before a confirmed booking's start its customer is
  // reminded in their chat; a comma list sends one for each (48,2). Decimals allowed, each rounded to whole minutes.
  BOOKING_REMINDER_HOURS: optional(z.string())
    .transform((v) =>
      (v ?? "24")
        .split(",")
        .map((h) => h.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.coerce
            .number<string>({ error: "must be numbers of hours, comma-separated (48,2)" })
            .refine((h) => Math.round(h * 60) >= 1, "must be at least a minute (0.02 h)")
            .refine((h) => h <= 8_760, "must be at most 8760 h (a year)"),
        )
        .min(1, "must name at least one number of hours")
        .max(10, "may name at most 10 reminders"),
    ),
  // Where customers come, said in the reminder (hub/bookings/send-reminder.ts); unset, the reminder names the resource only.
  BUSINESS_ADDRESS: optional(z.string().trim().min(1).max(200, "must be at most 200 characters")),

  // Payments (payments/): Stripe first, the secondary provider next, manual last; a provider without its settings is
  // skipped.
  STRIPE_SECRET_KEY: optional(
    z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/,
        "must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)",
      ),
  ),
  STRIPE_WEBHOOK_SECRET: optional(
    z.string().regex(/^whsec_[A-Za-z0-9+/=_-]{8,}$/, "must be the endpoint's signing secret (whsec_…)"),
  ),
  STRIPE_API_URL: optional(z.url({ error: "must be a URL" })).transform((v) => v ?? "https://api.stripe.com"),
  SECONDARY_PROVIDER: optional(z.enum(["revolut", "checkout"], { error: "must be revolut or checkout" })),
  REVOLUT_API_KEY: optional(z.string().min(8, "must be at least 8 characters")),
  /** Comma-separated while a secret rotates: a signature made with any of them is accepted. */
  REVOLUT_WEBHOOK_SECRET: optional(z.string())
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(/^wsk_[A-Za-z0-9]{8,}$/, "must be Revolut webhook signing secrets (wsk_…), comma-separated"),
      ),
    ),
  REVOLUT_API_URL: optional(z.url({ error: "must be a URL" })).transform((v) =>
    (v ?? "https://merchant.revolut.com").replace(/\/+$/, ""),
  ),
  REVOLUT_API_VERSION: optional(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2024-09-01")).transform(
    (v) => v ?? "2024-09-01",
  ),
  CHECKOUT_SECRET_KEY: optional(z.string().min(8, "must be at least 8 characters")),
  CHECKOUT_WEBHOOK_SECRET: optional(z.string().min(8, "must be at least 8 characters")),
  CHECKOUT_PROCESSING_CHANNEL_ID: optional(
    z.string().regex(/^pc_[a-z0-9]{8,}$/, "must be a processing channel id (pc_…)"),
  ),
  CHECKOUT_API_URL: optional(z.url({ error: "must be a URL" })),
  /** What a customer is told to do for a bank transfer; {{reference}} and {{amount}} are filled in. */
  MANUAL_PAYMENT_INSTRUCTIONS: optional(z.string().max(2000)).transform(
    (v) =>
      v ??
      "Please pay {{amount}} by bank transfer to Example Bookings Ltd, sort code 00-00-00, account 00000000, with the reference {{reference}}, and send us a photo of the confirmation.",
  ),
  PAYMENT_PROVIDER_TIMEOUT_MS: optional(
    z.coerce.number({ error: "must be a number of milliseconds" }).int().min(100).max(120_000),
  ).transform((v) => v ?? 10_000),
  /** How long an attempt may wait for its provider's webhook before the hub asks, then switches. Decimals allowed. */
  PAYMENT_WEBHOOK_TIMEOUT_MINUTES: optional(
    z.coerce.number({ error: "must be a number of minutes" }).positive("must be more than 0").max(10_080),
  ).transform((v) => v ?? 60),
  /**
   * How long a checkout page takes payment, from the attempt's creation. Stripe allows 30 minutes to 24 hours from
   * its own call: the margins (45 min, 23 h) keep a retried create inside them, so it asks for the very same page.
   */
  PAYMENT_LINK_MINUTES: optional(
    z.coerce
      .number({ error: "must be a whole number of minutes" })
      .int()
      .min(45, "must be at least 45")
      .max(1380, "must be at most 1380 (23 hours)"),
  ).transform((v) => v ?? 1380),

  // System health (hub/health/system, GET /health/system): where each widget turns warn or critical.
  // docs/operations.md ("System health") explains each one.
  HEALTH_PAYMENT_SUCCESS_WARN: optional(share()).transform((v) => v ?? 0.9),
  HEALTH_PAYMENT_SUCCESS_CRITICAL: optional(share()).transform((v) => v ?? 0.5),
  HEALTH_PAYMENT_LATENCY_WARN_MS: optional(
    z.coerce.number({ error: "must be a whole number of milliseconds" }).int().min(1).max(600_000),
  ).transform((v) => v ?? 3000),
  HEALTH_PAYMENT_WEBHOOK_SILENCE_MINUTES: optional(minutes()).transform((v) => v ?? 120),
  HEALTH_WEBHOOK_REJECTIONS_WARN: optional(count()).transform((v) => v ?? 1),
  HEALTH_WEBHOOK_REJECTIONS_CRITICAL: optional(count()).transform((v) => v ?? 20),
  HEALTH_QUEUE_LAG_WARN_SECONDS: optional(seconds()).transform((v) => v ?? 60),
  HEALTH_QUEUE_LAG_CRITICAL_SECONDS: optional(seconds()).transform((v) => v ?? 600),
  HEALTH_SLA_OVERDUE_CRITICAL_MINUTES: optional(minutes()).transform((v) => v ?? 60),
  // GET /metrics: open as Prometheus expects unless set; then it needs `Authorization: Bearer <METRICS_TOKEN>`.
  METRICS_TOKEN: optional(
    z.string().min(16, "must be at least 16 characters; generate one with `openssl rand -hex 32`"),
  ),

  // Telegram (bots/telegram): off without a token.
  TELEGRAM_BOT_TOKEN: optional(
    z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must be a bot token from @BotFather (digits:letters)"),
  ),
  // Telegram allows 1-256 characters A-Z a-z 0-9 _ -; it echoes it in X-Telegram-Bot-Api-Secret-Token.
  TELEGRAM_WEBHOOK_SECRET: optional(
    z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16-256 letters, digits, '_' or '-'"),
  ),
  // grammY refuses an API root that ends in "/".
  TELEGRAM_API_ROOT: optional(z.url({ error: "must be a URL" })).transform((v) =>
    (v ?? "https://api.telegram.org").replace(/\/+$/, ""),
  ),
  TELEGRAM_MODE: optional(z.enum(["webhook", "polling"], { error: "must be webhook or polling" })).transform(
    (v) => v ?? "webhook",
  ),
  /** The hub's public https base URL; `npm run telegram:set-webhook` registers `<PUBLIC_URL>/webhooks/telegram`. */
  PUBLIC_URL: optional(
    z.url({ protocol: /^https$/, error: "must be an https:// URL (Telegram sends webhooks only over HTTPS)" }),
  ),

  // WhatsApp (channels/whatsapp): the Cloud API, or whatsapp-web.js; off when unset.
  WHATSAPP_DRIVER: optional(z.enum(["cloud", "web"], { error: "must be cloud or web" })),
  WHATSAPP_VERIFY_TOKEN: optional(z.string().min(8, "must be at least 8 characters")),
  WHATSAPP_APP_SECRET: optional(z.string().min(8, "must be at least 8 characters")),
  WHATSAPP_GRAPH_URL: optional(z.url({ error: "must be a URL" })).transform(
    (v) => v ?? "https://graph.facebook.com/v21.0",
  ),
  WHATSAPP_PHONE_NUMBER_ID: optional(z.string().regex(/^\d+$/, "must be the numeric phone number id from Meta")),
  WHATSAPP_ACCESS_TOKEN: optional(z.string().min(8, "must be at least 8 characters")),
  /**
   * An approved template sent outside the 24-hour window; without one the reply is withheld and an operator task
   * raised.
   */
  WHATSAPP_REOPEN_TEMPLATE: optional(
    z.string().regex(/^[a-z0-9_]{1,512}$/, "must be a WhatsApp template name (a-z, 0-9, _)"),
  ),
  WHATSAPP_TEMPLATE_LANGUAGE: optional(
    z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, "must be a language code like en or en_GB"),
  ).transform((v) => v ?? "en_GB"),
  WHATSAPP_WEB_SESSION_DIR: optional(z.string()),
  WHATSAPP_WEB_CHROMIUM_PATH: optional(z.string()),

  // The website form (channels/web-form).
  TURNSTILE_SECRET_KEY: optional(z.string().min(1)),
  TURNSTILE_SITE_KEY: optional(z.string().min(1)),
  TURNSTILE_VERIFY_URL: optional(z.url({ error: "must be a URL" })).transform(
    (v) => v ?? "https://challenges.cloudflare.com/turnstile/v0/siteverify",
  ),
  WEB_FORM_RATE_LIMIT_MAX: optional(
    z.coerce.number({ error: "must be a whole number" }).int().min(1).max(100_000),
  ).transform((v) => v ?? 5),
  WEB_FORM_RATE_LIMIT_WINDOW_SECONDS: optional(
    z.coerce.number({ error: "must be a whole number" }).int().min(1).max(86_400),
  ).transform((v) => v ?? 600),
  WEB_FORM_ALLOWED_ORIGINS: optional(z.string())
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ error: "must be a comma-separated list of origins like https://example.co.uk" }))),
  /**
   * How many proxies in front of the hub add to X-Forwarded-For; 0 reads the socket's address (rate limits are per
   * client IP).
   */
  TRUST_PROXY_HOPS: optional(z.coerce.number({ error: "must be a whole number" }).int().min(0).max(10)).transform(
    (v) => v ?? 0,
  ),
});

export type Env = z.output<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export interface EnvPurpose {
  /** `unused` for a command that serves nobody (migrations), so it needs no admin key. */
  adminKey?: "required" | "unused";
}

/** Parses a set of variables; throws EnvError listing every problem, each naming its variable. */
export function parseEnv(variables: Record<string, string | undefined>, purpose: EnvPurpose = {}): Env {
  const result = EnvSchema.safeParse(variables);
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  // Checked on the raw variables so that it is reported together with every other problem.
  if (variables.DATABASE_URL && !variables.ADMIN_API_KEY && purpose.adminKey !== "unused") {
    problems.push("ADMIN_API_KEY: is required when DATABASE_URL is set (it is generated only on the embedded default)");
  }
  // PGlite belongs to one process, so an API process and a worker process cannot share it.
  if (!variables.DATABASE_URL && (variables.HUB_ROLE === "api" || variables.HUB_ROLE === "worker")) {
    problems.push(
      `HUB_ROLE: ${variables.HUB_ROLE} needs DATABASE_URL (the embedded PGlite database serves one process only)`,
    );
  }
  // A warning that comes after its critical level would never be seen: each pair must be in order.
  if (result.success) {
    const e = result.data;
    const order = (warn: keyof Env, critical: keyof Env, relation: string, ok: boolean) => {
      if (!ok) problems.push(`${warn}: must be ${relation} ${critical} (${e[warn]} against ${e[critical]})`);
    };
    order(
      "HEALTH_PAYMENT_SUCCESS_WARN",
      "HEALTH_PAYMENT_SUCCESS_CRITICAL",
      "above",
      e.HEALTH_PAYMENT_SUCCESS_WARN > e.HEALTH_PAYMENT_SUCCESS_CRITICAL,
    );
    order(
      "HEALTH_WEBHOOK_REJECTIONS_WARN",
      "HEALTH_WEBHOOK_REJECTIONS_CRITICAL",
      "at most",
      e.HEALTH_WEBHOOK_REJECTIONS_WARN <= e.HEALTH_WEBHOOK_REJECTIONS_CRITICAL,
    );
    order(
      "HEALTH_QUEUE_LAG_WARN_SECONDS",
      "HEALTH_QUEUE_LAG_CRITICAL_SECONDS",
      "below",
      e.HEALTH_QUEUE_LAG_WARN_SECONDS < e.HEALTH_QUEUE_LAG_CRITICAL_SECONDS,
    );
  }
  // A channel half set up would take requests it cannot verify, or not answer: name what is missing.
  const needs = (when: string, names: string[]) => {
    for (const name of names) if (!variables[name]) problems.push(`${name}: is required when ${when}`);
  };
  if (variables.TELEGRAM_BOT_TOKEN && (variables.TELEGRAM_MODE ?? "webhook") === "webhook") {
    needs("TELEGRAM_BOT_TOKEN is set with TELEGRAM_MODE=webhook", ["TELEGRAM_WEBHOOK_SECRET"]);
  }
  if (variables.STRIPE_SECRET_KEY) needs("STRIPE_SECRET_KEY is set", ["STRIPE_WEBHOOK_SECRET"]);
  if (variables.SECONDARY_PROVIDER === "revolut")
    needs("SECONDARY_PROVIDER=revolut", ["REVOLUT_API_KEY", "REVOLUT_WEBHOOK_SECRET"]);
  if (variables.SECONDARY_PROVIDER === "checkout") {
    needs("SECONDARY_PROVIDER=checkout", [
      "CHECKOUT_SECRET_KEY",
      "CHECKOUT_WEBHOOK_SECRET",
      "CHECKOUT_PROCESSING_CHANNEL_ID",
    ]);
  }
  if (variables.WHATSAPP_DRIVER === "cloud") {
    needs("WHATSAPP_DRIVER=cloud", [
      "WHATSAPP_VERIFY_TOKEN",
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_PHONE_NUMBER_ID",
      "WHATSAPP_ACCESS_TOKEN",
    ]);
  }
  // npm ci never downloads a browser (puppeteer is overridden by puppeteer-core): whatsapp-web.js needs one named.
  if (variables.WHATSAPP_DRIVER === "web") {
    needs("WHATSAPP_DRIVER=web", ["WHATSAPP_WEB_CHROMIUM_PATH"]);
    // The session lives in one process, and only that process can send: it must take the reply jobs too.
    if (variables.HUB_ROLE && variables.HUB_ROLE !== "all") {
      problems.push(
        "HUB_ROLE: must be all with WHATSAPP_DRIVER=web (one process holds the WhatsApp Web session and sends its replies)",
      );
    }
  }
  if (problems.length > 0 || !result.success) throw new EnvError(problems);
  return result.data;
}

/** The process's settings; `overrides` lets a script supply what it makes itself (a benchmark's own admin key). */
export function loadEnv(overrides: Record<string, string> = {}, purpose: EnvPurpose = {}): Env {
  return parseEnv({ ...process.env, ...overrides }, purpose);
}
