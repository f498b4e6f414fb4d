// Redis for tests: each test file keeps its keys under a prefix of its own and deletes them when it ends.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const testRedisUrl = process.env.REDIS_URL;

export const newRedisPrefix = () => `hub-test-${randomBytes(5).toString("hex")}`;

export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
}
