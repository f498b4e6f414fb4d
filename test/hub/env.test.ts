import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../hub/env";

const problemsOf = (variables: Record<string, string>) => {
  try {
    parseEnv(variables);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
};

describe("configuration", () => {
  it("has working defaults for the embedded mode, with every channel off", () => {
    expect(parseEnv({})).toEqual({
      PORT: 3000,
      HOST: "127.0.0.1",
      REDIS_PREFIX: "hub",
      HUB_DATA_DIR: resolve("data"),
      HUB_ROLE: "all",
      LOG_LEVEL: "info",
      SLA_ESCALATE_AFTER_MINUTES: 30,
      TIMER_SWEEP_SECONDS: 30,
      RETENTION_MONTHS: 24,
      JOB_CLAIM_SECONDS: 30,
      EVENT_CONCURRENCY: 16,
      DATABASE_POOL_SIZE: 20,
      BOOKING_HOLD_MINUTES: 30,
      CANCELLATION_FULL_REFUND_HOURS: 48,
      BOOKING_REMINDER_HOURS: [24],
      STRIPE_API_URL: "https://api.stripe.com",
      REVOLUT_WEBHOOK_SECRET: [],
      REVOLUT_API_URL: "https://merchant.revolut.com",
      REVOLUT_API_VERSION: "2024-09-01",
      MANUAL_PAYMENT_INSTRUCTIONS: expect.stringContaining("{{reference}}"),
      PAYMENT_PROVIDER_TIMEOUT_MS: 10_000,
      PAYMENT_WEBHOOK_TIMEOUT_MINUTES: 60,
      PAYMENT_LINK_MINUTES: 1380,
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      TELEGRAM_MODE: "webhook",
      WHATSAPP_GRAPH_URL: "https://graph.facebook.com/v21.0",
      WHATSAPP_TEMPLATE_LANGUAGE: "en_GB",
      TURNSTILE_VERIFY_URL: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
      WEB_FORM_RATE_LIMIT_MAX: 5,
      WEB_FORM_RATE_LIMIT_WINDOW_SECONDS: 600,
      WEB_FORM_ALLOWED_ORIGINS: [],
      TRUST_PROXY_HOPS: 0,
      HEALTH_PAYMENT_SUCCESS_WARN: 0.9,
      HEALTH_PAYMENT_SUCCESS_CRITICAL: 0.5,
      HEALTH_PAYMENT_LATENCY_WARN_MS: 3000,
      HEALTH_PAYMENT_WEBHOOK_SILENCE_MINUTES: 120,
      HEALTH_WEBHOOK_REJECTIONS_WARN: 1,
      HEALTH_WEBHOOK_REJECTIONS_CRITICAL: 20,
      HEALTH_QUEUE_LAG_WARN_SECONDS: 60,
      HEALTH_QUEUE_LAG_CRITICAL_SECONDS: 600,
      HEALTH_SLA_OVERDUE_CRITICAL_MINUTES: 60,
    });
  });

  it("refuses a health warning level that comes after its critical one", () => {
    expect(
      problemsOf({
        HEALTH_PAYMENT_SUCCESS_WARN: "0.4",
        HEALTH_QUEUE_LAG_WARN_SECONDS: "900",
        HEALTH_WEBHOOK_REJECTIONS_WARN: "5",
        HEALTH_WEBHOOK_REJECTIONS_CRITICAL: "5",
      }),
    ).toEqual([
      "HEALTH_PAYMENT_SUCCESS_WARN: must be above HEALTH_PAYMENT_SUCCESS_CRITICAL (0.4 against 0.5)",
      "HEALTH_QUEUE_LAG_WARN_SECONDS: must be below HEALTH_QUEUE_LAG_CRITICAL_SECONDS (900 against 600)",
    ]);
  });

  it("drops a trailing slash from TELEGRAM_API_ROOT, which grammY refuses", () => {
    expect(parseEnv({ TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" }).TELEGRAM_API_ROOT).toBe("http://127.0.0.1:8081");
  });

  it("names what a half-configured channel is missing", () => {
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: `123456:${"A".repeat(35)}` })).toEqual([
      "TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_BOT_TOKEN is set with TELEGRAM_MODE=webhook",
    ]);
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: `123456:${"A".repeat(35)}`, TELEGRAM_MODE: "polling" })).toEqual([]);
    expect(problemsOf({ WHATSAPP_DRIVER: "cloud", WHATSAPP_APP_SECRET: "s".repeat(16) })).toEqual([
      "WHATSAPP_VERIFY_TOKEN: is required when WHATSAPP_DRIVER=cloud",
      "WHATSAPP_PHONE_NUMBER_ID: is required when WHATSAPP_DRIVER=cloud",
      "WHATSAPP_ACCESS_TOKEN: is required when WHATSAPP_DRIVER=cloud",
    ]);
    expect(problemsOf({ WEB_FORM_ALLOWED_ORIGINS: "https://ok.example, not a url" })[0]).toMatch(
      /^WEB_FORM_ALLOWED_ORIGINS/,
    );
    expect(problemsOf({ WHATSAPP_DRIVER: "web" })).toEqual([
      "WHATSAPP_WEB_CHROMIUM_PATH: is required when WHATSAPP_DRIVER=web",
    ]);
    expect(
      problemsOf({
        WHATSAPP_DRIVER: "web",
        WHATSAPP_WEB_CHROMIUM_PATH: "/usr/bin/chromium",
        DATABASE_URL: "postgres://db/hub",
        ADMIN_API_KEY: "k".repeat(24),
        HUB_ROLE: "api",
      }),
    ).toEqual([
      "HUB_ROLE: must be all with WHATSAPP_DRIVER=web (one process holds the WhatsApp Web session and sends its replies)",
    ]);
  });

  it("accepts Europe/London as APP_TIMEZONE and nothing else", () => {
    expect(parseEnv({ APP_TIMEZONE: "Europe/London" }).APP_TIMEZONE).toBe("Europe/London");
    for (const zone of ["UTC", "GMT", "Europe/Paris", "europe/london"]) {
      expect(problemsOf({ APP_TIMEZONE: zone })).toEqual([
        "APP_TIMEZONE: must be Europe/London: the hub keeps every date in London time",
      ]);
    }
  });

  it("needs ADMIN_API_KEY when DATABASE_URL is set", () => {
    expect(problemsOf({ DATABASE_URL: "postgres://db/hub" })).toEqual([
      "ADMIN_API_KEY: is required when DATABASE_URL is set (it is generated only on the embedded default)",
    ]);
    const key = "k".repeat(32);
    expect(parseEnv({ DATABASE_URL: "postgres://db/hub", ADMIN_API_KEY: key }).ADMIN_API_KEY).toBe(key);
  });

  it("needs no ADMIN_API_KEY for a command that serves nobody (migrations)", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://db/hub" }, { adminKey: "unused" }).DATABASE_URL).toBe(
      "postgres://db/hub",
    );
  });

  it("names what a payment provider half set up is missing", () => {
    expect(problemsOf({ STRIPE_SECRET_KEY: "sk_test_abcdefgh1234" })).toEqual([
      "STRIPE_WEBHOOK_SECRET: is required when STRIPE_SECRET_KEY is set",
    ]);
    expect(problemsOf({ STRIPE_SECRET_KEY: "pk_test_abc", STRIPE_WEBHOOK_SECRET: "whsec_abcdefgh" })).toEqual([
      "STRIPE_SECRET_KEY: must be a Stripe secret or restricted key (sk_test_…, sk_live_…, rk_…)",
    ]);
    expect(problemsOf({ SECONDARY_PROVIDER: "revolut" })).toEqual([
      "REVOLUT_API_KEY: is required when SECONDARY_PROVIDER=revolut",
      "REVOLUT_WEBHOOK_SECRET: is required when SECONDARY_PROVIDER=revolut",
    ]);
    expect(problemsOf({ SECONDARY_PROVIDER: "checkout", CHECKOUT_SECRET_KEY: "sk_sbox_abcdefgh" })).toEqual([
      "CHECKOUT_WEBHOOK_SECRET: is required when SECONDARY_PROVIDER=checkout",
      "CHECKOUT_PROCESSING_CHANNEL_ID: is required when SECONDARY_PROVIDER=checkout",
    ]);
    expect(problemsOf({ SECONDARY_PROVIDER: "paypal" })).toEqual(["SECONDARY_PROVIDER: must be revolut or checkout"]);
    // Several Revolut secrets while one rotates.
    expect(parseEnv({ REVOLUT_WEBHOOK_SECRET: "wsk_aaaaaaaaaa, wsk_bbbbbbbbbb" }).REVOLUT_WEBHOOK_SECRET).toEqual([
      "wsk_aaaaaaaaaa",
      "wsk_bbbbbbbbbb",
    ]);
    expect(parseEnv({ PAYMENT_WEBHOOK_TIMEOUT_MINUTES: "0.5" }).PAYMENT_WEBHOOK_TIMEOUT_MINUTES).toBe(0.5);
    expect(problemsOf({ PAYMENT_LINK_MINUTES: "1440" })).toEqual([
      "PAYMENT_LINK_MINUTES: must be at most 1380 (23 hours)",
    ]);
  });

  it("takes EVENT_CONCURRENCY and DATABASE_POOL_SIZE as whole numbers", () => {
    expect(parseEnv({ EVENT_CONCURRENCY: "4", DATABASE_POOL_SIZE: "10" })).toMatchObject({
      EVENT_CONCURRENCY: 4,
      DATABASE_POOL_SIZE: 10,
    });
    expect(problemsOf({ EVENT_CONCURRENCY: "0" })).toEqual(["EVENT_CONCURRENCY: must be at least 1"]);
    expect(problemsOf({ DATABASE_POOL_SIZE: "1.5" })).toEqual(["DATABASE_POOL_SIZE: must be a whole number"]);
  });

  it("takes JOB_CLAIM_SECONDS in seconds, at least 3", () => {
    expect(parseEnv({ JOB_CLAIM_SECONDS: "5" }).JOB_CLAIM_SECONDS).toBe(5);
    expect(problemsOf({ JOB_CLAIM_SECONDS: "1" })).toEqual(["JOB_CLAIM_SECONDS: must be at least 3"]);
    expect(problemsOf({ JOB_CLAIM_SECONDS: "soon" })).toEqual(["JOB_CLAIM_SECONDS: must be a number of seconds"]);
  });

  it("takes SLA_ESCALATE_AFTER_MINUTES in minutes, decimals allowed, and refuses zero, negatives and words", () => {
    expect(parseEnv({ SLA_ESCALATE_AFTER_MINUTES: "0.05" }).SLA_ESCALATE_AFTER_MINUTES).toBe(0.05);
    expect(problemsOf({ SLA_ESCALATE_AFTER_MINUTES: "0" })).toEqual([
      "SLA_ESCALATE_AFTER_MINUTES: must be more than 0",
    ]);
    expect(problemsOf({ SLA_ESCALATE_AFTER_MINUTES: "-5" })).toEqual([
      "SLA_ESCALATE_AFTER_MINUTES: must be more than 0",
    ]);
    expect(problemsOf({ SLA_ESCALATE_AFTER_MINUTES: "soon" })).toEqual([
      "SLA_ESCALATE_AFTER_MINUTES: must be a number of minutes",
    ]);
  });

  it("reports every bad setting at once, each naming its variable", () => {
    const problems = problemsOf({
      PORT: "eighty",
      DATABASE_URL: "mysql://db",
      ADMIN_API_KEY: "short",
      APP_TIMEZONE: "UTC",
      LOG_LEVEL: "loud",
    });
    expect(problems.map((p) => p.split(":")[0])).toEqual([
      "PORT",
      "DATABASE_URL",
      "ADMIN_API_KEY",
      "APP_TIMEZONE",
      "LOG_LEVEL",
    ]);
  });

  it("knows three process roles", () => {
    const services = { DATABASE_URL: "postgres://db/hub", ADMIN_API_KEY: "k".repeat(32) };
    expect(parseEnv({ ...services, HUB_ROLE: "worker" }).HUB_ROLE).toBe("worker");
    expect(problemsOf({ ...services, HUB_ROLE: "scheduler" })).toEqual(["HUB_ROLE: must be one of all, api, worker"]);
    expect(problemsOf({ HUB_ROLE: "api" })).toEqual([
      "HUB_ROLE: api needs DATABASE_URL (the embedded PGlite database serves one process only)",
    ]);
  });

  it("checks the Redis settings", () => {
    expect(problemsOf({ REDIS_URL: "localhost:6379", REDIS_PREFIX: "has:colon" }).map((p) => p.split(":")[0])).toEqual([
      "REDIS_URL",
      "REDIS_PREFIX",
    ]);
    expect(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).REDIS_URL).toBe("redis://127.0.0.1:6379");
  });

  it("treats empty variables as unset", () => {
    expect(parseEnv({ PORT: "", DATABASE_URL: "", LOG_LEVEL: "" }).PORT).toBe(3000);
  });
});
