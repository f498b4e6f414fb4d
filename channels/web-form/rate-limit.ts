// Submissions per client IP in a fixed window: in memory for one process, in Redis when many processes share the count.
import { Redis } from "ioredis";
import type { Logger } from "pino";

export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until the window resets (the Retry-After of a 429). */
  retryAfterSeconds: number;
}

export interface RateLimitStore {
  readonly kind: "memory" | "redis";
  /** Counts one hit for `key` and returns the count so far in its window and when that window ends. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  close(): Promise<void>;
}

export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  get kind() {
    return this.store.kind;
  }

  async check(ip: string): Promise<RateLimitDecision> {
    try {
      const { count, resetAt } = await this.store.hit(ip, this.windowMs);
      return {
        allowed: count <= this.max,
        retryAfterSeconds: Math.max(1, Math.ceil((resetAt - this.now().getTime()) / 1000)),
      };
    } catch (error) {
      // A lead is worth more than a moment's spam: without the store the form stays open, Turnstile still guards it.
      this.logger.warn(
        { err: error, store: this.store.kind },
        "web form rate limit unavailable; letting the submission through",
      );
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }

  close() {
    return this.store.close();
  }
}

/** One process's counts. Bounded: past `maxKeys` it drops expired windows, then the oldest ones. */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly kind = "memory";
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly now: () => Date,
    private readonly maxKeys = 10_000,
  ) {}

  async hit(key: string, windowMs: number) {
    const at = this.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= at) {
      this.windows.delete(key);
      this.makeRoom(at);
      window = { count: 0, resetAt: at + windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { ...window };
  }

  private makeRoom(at: number) {
    if (this.windows.size < this.maxKeys) return;
    for (const [key, window] of this.windows) if (window.resetAt <= at) this.windows.delete(key);
    // Maps iterate in insertion order, so the first keys are the oldest windows.
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }

  async close() {}
}

// INCR and the window's expiry in one step, so a crash between them cannot leave a counter that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

/** Counts shared by every hub process on one Redis, under `<prefix>:ratelimit:webform:<ip>`. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly kind = "redis";
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly now: () => Date,
    logger: Logger,
  ) {
    // Fail fast while Redis is down: a form post should not hang on the counter. Connected on first use, so a
    // worker process, which serves no form, never opens it.
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 2_000 });
    this.redis.on("error", (error) => logger.debug({ err: error }, "web form rate limit: redis connection error"));
  }

  async hit(key: string, windowMs: number) {
    const at = this.now().getTime();
    const [count, ttl] = (await this.redis.eval(
      HIT_SCRIPT,
      1,
      `${this.prefix}:ratelimit:webform:${key}`,
      windowMs,
    )) as [number, number];
    return { count, resetAt: at + ttl };
  }

  async close() {
    if (this.redis.status === "wait") return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
