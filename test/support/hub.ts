// A whole hub over a fresh test database, driven through app.request() as a client would.
import pino from "pino";
import { createHub, type Hub, type HubOptions } from "../../hub/composition";
import { parseEnv } from "../../hub/env";
import { generateApiKey } from "../../hub/auth/api-keys";
import { openTestDatabase } from "./database";
import { deleteRedisPrefix, newRedisPrefix, testRedisUrl } from "./redis";

export interface TestHub {
  hub: Hub;
  adminKey: string;
  request(method: string, path: string, options?: RequestOptions): Promise<TestResponse>;
  /** Creates a staff member through the API and returns its id and key. */
  createUser(role: "operator" | "manager" | "admin", name?: string): Promise<{ id: string; key: string }>;
  createPartner(body?: Record<string, unknown>): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

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

export interface TestHubOptions {
  /**
   * "configured" runs on BullMQ when REDIS_URL is set (each hub under a Redis prefix of its own), else on the
   * in-process driver; "in-process" always uses the database-backed driver (for tests that look into its table).
   */
  jobs?: "configured" | "in-process";
  /** A Redis of the test's own (one it stops and starts), instead of REDIS_URL. */
  redisUrl?: string;
  /** More settings, as environment variables (a channel's token, a fake service's URL). */
  env?: Record<string, string>;
}

export async function startTestHub(
  overrides: Partial<HubOptions> = {},
  options: TestHubOptions = {},
): Promise<TestHub> {
  const adminKey = generateApiKey();
  const redisPrefix = newRedisPrefix();
  const redisUrl = options.redisUrl ?? (options.jobs === "in-process" ? undefined : testRedisUrl);
  const hub = await createHub({
    env: parseEnv({ ...options.env, REDIS_URL: redisUrl, REDIS_PREFIX: redisPrefix }),
    logger: pino({ level: "silent" }),
    database: await openTestDatabase(),
    adminApiKey: adminKey,
    jobOptions: { pollMs: 20 },
    relayOptions: { pollMs: 50 },
    ...overrides,
  });
  await hub.start();

  const request: TestHub["request"] = async (method, path, options = {}) => {
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
    request,
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
