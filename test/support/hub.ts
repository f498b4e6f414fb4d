// A whole hub over a fresh test database, driven through app.request() as a client would, with the outside services
// it talks to faked on loopback: each one an option of startHub(), its fake a handle on the hub it returns.
import pino from "pino";
import type { SQL } from "drizzle-orm";
import { createHub, type Hub, type HubOptions } from "../../hub/composition";
import { parseEnv } from "../../hub/env";
import { generateApiKey } from "../../hub/auth/api-keys";
import { createLogger } from "../../hub/core/logger";
import type { WebClient } from "../../channels/whatsapp/web/client";
import { settings as whatsappCloudSettings, PHONE_NUMBER_ID } from "../channels/whatsapp/cloud-fixtures";
import { openTestDatabase } from "./database";
import { FakePartnerReceiver } from "./fakes/partner-receiver";
import { startFakeTurnstile, type FakeTurnstile } from "./fakes/turnstile";
import { startFakeGraph, type FakeGraph } from "./fakes/whatsapp-graph";
import { FakeWebClient } from "./fakes/whatsapp-web-client";
import { deleteRedisPrefix, newRedisPrefix, testRedisUrl } from "./redis";
import { startPayments, type FakePayments, type PaymentSetup } from "./setup/payments";
import { startTelegram, type FakeTelegram } from "./setup/telegram";

export interface HubSetup {
  /** Changes to the hub's own options: a clock, a logger, a database, the role. */
  overrides?: Partial<HubOptions>;
  /**
   * "configured" runs on BullMQ when REDIS_URL is set (each hub under a Redis prefix of its own), else on the
   * in-process driver; "in-process" always uses the database-backed driver (for tests that look into its table).
   */
  jobs?: "configured" | "in-process";
  /** A Redis of the test's own (one it stops and starts), instead of REDIS_URL. */
  redisUrl?: string;
  /** More settings, as environment variables; they win over the ones the fakes set. */
  env?: Record<string, string>;
  /** The fake Bot API, and the bot's settings pointing at it. */
  telegram?: boolean;
  /** WhatsApp: the Cloud API's fake Graph (and cloud-fixtures' settings), or a fake whatsapp-web.js client. */
  whatsapp?: "cloud" | "web";
  /** The fake payment providers, and the settings pointing at them. */
  payments?: PaymentSetup;
  /** A fake Cloudflare siteverify checking for this secret (answering `slow-` tokens after slowMs). */
  turnstile?: { secret: string; slowMs?: number };
  /** A partner's webhook receiver (not registered: a test gives its URL to the partner it creates). */
  partner?: boolean;
}

export interface BaseTestHub {
  hub: Hub;
  adminKey: string;
  /** The settings the hub was started with, as environment variables. */
  env: Record<string, string>;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Creates a staff member through the API and returns its id and key. */
  createUser(role: "operator" | "manager" | "admin", name?: string): Promise<{ id: string; key: string }>;
  createPartner(body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Stops the hub, then every fake it started. */
  stop(): Promise<void>;
}

/** Options that start no fake. */
type NoFakes = Record<never, never>;

/** A hub started with `O`: a handle for each fake the options asked for. */
export type TestHub<O extends HubSetup = NoFakes> = BaseTestHub &
  (O extends { telegram: true } ? { telegram: FakeTelegram } : unknown) &
  (O extends { whatsapp: "cloud" } ? { whatsapp: FakeGraph } : unknown) &
  (O extends { whatsapp: "web" } ? { whatsapp: FakeWebClient } : unknown) &
  (O extends { payments: PaymentSetup } ? { payments: FakePayments } : unknown) &
  (O extends { turnstile: object } ? { turnstile: FakeTurnstile } : unknown) &
  (O extends { partner: true } ? { partner: FakePartnerReceiver } : unknown);

export type TelegramTestHub = TestHub<{ telegram: true }>;
export type PaymentTestHub = TestHub<{ telegram: true; payments: PaymentSetup }>;

export interface RequestOptions {
  body?: unknown;
  /** Bearer key; the admin's by default, `null` for none. */
  key?: string | null;
  headers?: Record<string, string>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

const WHATSAPP_WEB_ENV = { WHATSAPP_DRIVER: "web", WHATSAPP_WEB_CHROMIUM_PATH: "/usr/bin/chromium" };

export async function startHub<const O extends HubSetup = NoFakes>(setup: O = {} as O): Promise<TestHub<O>> {
  const closers: (() => Promise<unknown>)[] = [];
  const telegram = setup.telegram ? await startTelegram() : undefined;
  if (telegram) closers.push(telegram.close);
  const graph = setup.whatsapp === "cloud" ? await startFakeGraph(PHONE_NUMBER_ID) : undefined;
  if (graph) closers.push(graph.server.close);
  const webClient = setup.whatsapp === "web" ? new FakeWebClient() : undefined;
  const payments = setup.payments ? await startPayments(setup.payments) : undefined;
  if (payments) closers.push(payments.close);
  const turnstile = setup.turnstile
    ? await startFakeTurnstile(setup.turnstile.secret, setup.turnstile.slowMs)
    : undefined;
  if (turnstile) closers.push(turnstile.close);
  const partner = setup.partner ? await FakePartnerReceiver.start() : undefined;
  if (partner) closers.push(() => partner.stop());

  const env: Record<string, string> = {
    ...telegram?.env,
    ...(graph ? whatsappCloudSettings(graph) : {}),
    ...(webClient ? WHATSAPP_WEB_ENV : {}),
    ...(turnstile ? { TURNSTILE_SECRET_KEY: setup.turnstile!.secret, TURNSTILE_VERIFY_URL: turnstile.url } : {}),
    ...payments?.env,
    ...setup.env,
  };
  const overrides = setup.overrides ?? {};
  const base = await startBase(env, setup, {
    ...overrides,
    ...(webClient ? { outside: { ...overrides.outside, whatsappWebClient: webClient as unknown as WebClient } } : {}),
  });
  const stopHub = base.stop;
  base.stop = async () => {
    await stopHub();
    await Promise.all(closers.map((close) => close()));
  };
  const fakeTelegram = telegram?.attach(base.hub);
  return Object.assign(base, {
    telegram: fakeTelegram,
    whatsapp: graph ?? webClient,
    payments: payments?.attach(base, fakeTelegram),
    turnstile,
    partner,
  }) as unknown as TestHub<O>;
}

async function startBase(
  env: Record<string, string>,
  setup: HubSetup,
  overrides: Partial<HubOptions>,
): Promise<BaseTestHub> {
  const adminKey = generateApiKey();
  const redisPrefix = newRedisPrefix();
  const redisUrl = setup.redisUrl ?? (setup.jobs === "in-process" ? undefined : testRedisUrl);
  const hub = await createHub({
    env: parseEnv({ ...env, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix }),
    // Silent unless TEST_LOG names a level (TEST_LOG=error npm test): then the hubs log to stderr as a hub process does
    // (request ids, masking), to see why a 500 was one.
    logger: process.env.TEST_LOG ? createLogger(process.env.TEST_LOG, pino.destination(2)) : pino({ level: "silent" }),
    database: await openTestDatabase(),
    adminApiKey: adminKey,
    jobOptions: { pollMs: 20 },
    relayOptions: { pollMs: 50 },
    ...overrides,
  });
  await hub.start();

  const request: BaseTestHub["request"] = async (method, path, options = {}) => {
    const key = options.key === undefined ? adminKey : options.key;
    const headers: Record<string, string> = { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...options.headers };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    const response = await hub.app.request(path, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (the docs page); keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  let partners = 0;
  return {
    hub,
    adminKey,
    env,
    request,
    rows: (query) => hub.database.rows(query),
    async createUser(role, name = `${role} ${Math.random().toString(36).slice(2, 7)}`) {
      const res = await request("POST", "/operators", { body: { name, role } });
      if (res.status !== 201) throw new Error(`creating a ${role} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, key: res.body.api_key };
    },
    async createPartner(body = {}) {
      const res = await request("POST", "/partners", {
        body: {
          code: `partner-${++partners}-${Math.random().toString(36).slice(2, 6)}`,
          name: "Partner",
          commission_percent: 10,
          ...body,
        },
      });
      if (res.status !== 201) throw new Error(`creating a partner failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async stop() {
      await hub.stop();
      if (redisUrl) await deleteRedisPrefix(redisUrl, redisPrefix);
    },
  };
}
