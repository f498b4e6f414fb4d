import pino from "pino";
import { describe, expect, it } from "vitest";
import { MemoryRateLimitStore, RateLimiter, RedisRateLimitStore } from "../../../channels/web-form/rate-limit";
import { freePort } from "../../support/redis";

describe("web form rate limit stores", () => {
  it("keeps a fixed window per address in memory, and says how long until it resets", async () => {
    let now = Date.parse("2026-11-27T10:00:00Z");
    const clock = () => new Date(now);
    const limiter = new RateLimiter(new MemoryRateLimitStore(clock), 2, 600_000, clock, pino({ level: "silent" }));
    expect((await limiter.check("a")).allowed).toBe(true);
    now += 100_000;
    expect((await limiter.check("a")).allowed).toBe(true);
    expect(await limiter.check("a")).toEqual({ allowed: false, retryAfterSeconds: 500 });
    expect((await limiter.check("b")).allowed).toBe(true);
    now += 500_000; // the window that began at 10:00 is over
    expect((await limiter.check("a")).allowed).toBe(true);
  });

  it("does not grow without bound: past its size it forgets expired windows, then the oldest", async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => new Date(now), 3);
    for (const key of ["a", "b", "c"]) await store.hit(key, 1_000);
    expect((await store.hit("a", 1_000)).count).toBe(2);
    await store.hit("d", 1_000); // full: "a" (the oldest window) goes
    expect((await store.hit("b", 1_000)).count).toBe(2);
    expect((await store.hit("a", 1_000)).count).toBe(1);
    now = 5_000;
    for (const key of ["e", "f", "g"]) await store.hit(key, 1_000);
    expect((await store.hit("e", 1_000)).count).toBe(2);
  });

  it("lets submissions through, with a warning, while Redis cannot be reached", async () => {
    const warnings: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    const store = new RedisRateLimitStore(`redis://127.0.0.1:${await freePort()}`, "nowhere", () => new Date(), logger);
    const limiter = new RateLimiter(store, 1, 60_000, () => new Date(), logger);
    expect((await limiter.check("a")).allowed).toBe(true);
    expect((await limiter.check("a")).allowed).toBe(true);
    expect(warnings.some((m) => /rate limit unavailable/.test(m))).toBe(true);
    await limiter.close();
  });
});
